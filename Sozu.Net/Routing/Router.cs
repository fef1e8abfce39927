using System.Buffers;
using System.Runtime.CompilerServices;
using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>
/// The HTTP frontends of one listener. Lookups allocate nothing and cost the same whatever the
/// number of hosts: exact hosts and "*." suffixes are hash lookups on the lower-cased host.
/// Order: pre rules (in order added), then the exact host, then its "*." wildcard, then "*",
/// then post rules. A host whose own rules match no path falls through to the next, broader
/// level, so a wildcard or "*" frontend can catch what an exact host leaves.
/// Not thread-safe: the event loop that routes also applies configuration changes.
/// </summary>
public sealed class Router
{
    /// <summary>DNS names are at most 253 bytes; longer Host values never match a named frontend.</summary>
    public const int MaxHostLength = 255;

    // Paths up to this length are decoded on the stack; longer ones (rare) use a pooled array.
    private const int StackPathLength = 1024;

    private readonly Dictionary<string, PathRules> _exactHosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PathRules>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;
    private readonly Dictionary<string, PathRules> _wildcardHosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PathRules>.AlternateLookup<ReadOnlySpan<char>> _wildcardBySpan;
    private readonly PathRules _anyHost = new();
    private readonly List<(HostPattern Host, RouteRule Rule)> _pre = [];
    private readonly List<(HostPattern Host, RouteRule Rule)> _post = [];

    private HstsConfig? _listenerHsts;

    /// <param name="listenerHsts">The HTTPS listener's HSTS policy, inherited by frontends without their own; null on HTTP.</param>
    public Router(HstsConfig? listenerHsts = null)
    {
        _listenerHsts = listenerHsts;
        _exactBySpan = _exactHosts.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardBySpan = _wildcardHosts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count { get; private set; }

    /// <summary>
    /// A new listener HSTS policy (update_https_listener): it applies at once to the frontends
    /// already routed that have no policy of their own, as well as to those added later.
    /// </summary>
    public void SetListenerHsts(HstsConfig? listenerHsts)
    {
        if (listenerHsts == _listenerHsts)
        {
            return;
        }
        _listenerHsts = listenerHsts;
        foreach (var (_, rule) in _pre)
        {
            rule.InheritListenerHsts(listenerHsts);
        }
        foreach (var (_, rule) in _post)
        {
            rule.InheritListenerHsts(listenerHsts);
        }
        foreach (var rules in _exactHosts.Values.Concat(_wildcardHosts.Values).Append(_anyHost))
        {
            foreach (var rule in rules.All())
            {
                rule.InheritListenerHsts(listenerHsts);
            }
        }
    }

    /// <summary>Adds a frontend; throws <see cref="ArgumentException"/> (router unchanged) when it is invalid or already present.</summary>
    public void Add(HttpFrontend frontend)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        var host = HostPattern.Parse(frontend.Hostname);
        if (FindRule(frontend, host) is not null)
        {
            throw new ArgumentException($"a frontend for {frontend.Hostname} with path {frontend.Path.Kind} '{frontend.Path.Value}' and method '{frontend.Method}' already exists", nameof(frontend));
        }
        var rule = new RouteRule(frontend, _listenerHsts);
        switch (frontend.Position)
        {
            case RulePosition.Pre:
                _pre.Add((host, rule));
                break;
            case RulePosition.Post:
                _post.Add((host, rule));
                break;
            default:
                RulesFor(host, create: true)!.Add(rule);
                break;
        }
        Count++;
    }

    /// <summary>Removes the frontend with the same host, path, method and position; false when there is none.</summary>
    public bool Remove(HttpFrontend frontend)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        var host = HostPattern.Parse(frontend.Hostname);
        var rule = FindRule(frontend, host);
        if (rule is null)
        {
            return false;
        }
        switch (frontend.Position)
        {
            case RulePosition.Pre:
                _pre.Remove((host, rule));
                break;
            case RulePosition.Post:
                _post.Remove((host, rule));
                break;
            default:
                var rules = RulesFor(host, create: false)!;
                rules.Remove(rule);
                if (rules.IsEmpty && host.Kind != HostPatternKind.Any)
                {
                    (host.Kind == HostPatternKind.Exact ? _exactHosts : _wildcardHosts).Remove(host.Key);
                }
                break;
        }
        Count--;
        return true;
    }

    /// <param name="host">The Host header or absolute-form authority, port allowed, any case.</param>
    /// <param name="path">The path without the query; empty means "/".</param>
    /// <param name="method">The request method, compared case-sensitively.</param>
    // Both scratch buffers are written before being read; zeroing 2.5 KB per lookup is waste.
    [SkipLocalsInit]
    public RouteResult Lookup(ReadOnlySpan<byte> host, ReadOnlySpan<byte> path, ReadOnlySpan<byte> method)
    {
        Span<char> hostBuffer = stackalloc char[MaxHostLength];
        var hostLength = HostPattern.ToLookupKey(host, hostBuffer);
        ReadOnlySpan<char> hostChars = hostLength < 0 ? [] : hostBuffer[..hostLength];

        if (path.IsEmpty)
        {
            path = "/"u8;
        }
        char[]? rented = null;
        var pathChars = path.Length <= StackPathLength
            ? stackalloc char[StackPathLength]
            : (rented = ArrayPool<char>.Shared.Rent(path.Length));
        try
        {
            pathChars = pathChars[..path.Length];
            // The parser admits only visible ASCII in a target, so Latin-1 is an exact decoding.
            System.Text.Encoding.Latin1.GetChars(path, pathChars);
            var rule = Match(hostChars, hostLength >= 0, path, pathChars, method);
            return rule is null ? RouteResult.NoRoute : RouteResult.For(rule.Target);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private RouteRule? Match(ReadOnlySpan<char> host, bool hostValid, ReadOnlySpan<byte> path, ReadOnlySpan<char> pathChars, ReadOnlySpan<byte> method)
    {
        var rule = MatchOrdered(_pre, host, hostValid, path, pathChars, method);
        if (rule is not null)
        {
            return rule;
        }
        if (hostValid)
        {
            if (_exactHosts.Count > 0 && _exactBySpan.TryGetValue(host, out var exact)
                && (rule = exact.Lookup(path, pathChars, method)) is not null)
            {
                return rule;
            }
            var suffix = HostPattern.WildcardSuffix(host);
            if (_wildcardHosts.Count > 0 && !suffix.IsEmpty && _wildcardBySpan.TryGetValue(suffix, out var wildcard)
                && (rule = wildcard.Lookup(path, pathChars, method)) is not null)
            {
                return rule;
            }
        }
        if (!_anyHost.IsEmpty && (rule = _anyHost.Lookup(path, pathChars, method)) is not null)
        {
            return rule;
        }
        return MatchOrdered(_post, host, hostValid, path, pathChars, method);
    }

    private static RouteRule? MatchOrdered(List<(HostPattern Host, RouteRule Rule)> rules, ReadOnlySpan<char> host, bool hostValid,
        ReadOnlySpan<byte> path, ReadOnlySpan<char> pathChars, ReadOnlySpan<byte> method)
    {
        foreach (var (pattern, rule) in rules)
        {
            if ((pattern.Kind == HostPatternKind.Any || (hostValid && pattern.Matches(host)))
                && rule.MatchesMethod(method) && rule.MatchesPath(path, pathChars))
            {
                return rule;
            }
        }
        return null;
    }

    private RouteRule? FindRule(HttpFrontend frontend, HostPattern host)
    {
        switch (frontend.Position)
        {
            case RulePosition.Pre:
            case RulePosition.Post:
                foreach (var (pattern, rule) in frontend.Position == RulePosition.Pre ? _pre : _post)
                {
                    if (pattern == host && rule.SameConditions(frontend))
                    {
                        return rule;
                    }
                }
                return null;
            default:
                return RulesFor(host, create: false)?.Find(frontend);
        }
    }

    private PathRules? RulesFor(HostPattern host, bool create)
    {
        if (host.Kind == HostPatternKind.Any)
        {
            return _anyHost;
        }
        var map = host.Kind == HostPatternKind.Exact ? _exactHosts : _wildcardHosts;
        if (!map.TryGetValue(host.Key, out var rules) && create)
        {
            map[host.Key] = rules = new PathRules();
        }
        return rules;
    }
}
