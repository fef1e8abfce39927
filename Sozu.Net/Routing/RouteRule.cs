using System.Text;
using System.Text.RegularExpressions;
using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>One frontend's path and method conditions, prepared for matching on request bytes.</summary>
internal sealed class RouteRule
{
    /// <summary>
    /// Regexes run on the non-backtracking engine: matching is linear in the path (at most one
    /// head long), like the automata-based engine Sōzu uses, so a hostile path cannot make it
    /// blow up. We deliberately set no match timeout: the engine builds its automaton lazily,
    /// and on a loaded 2-core box a first match took over 400 ms in tests; a wall-clock timeout
    /// would then misroute a request at random instead of protecting anything.
    /// </summary>
    private const RegexOptions RegexEngine = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private readonly byte[] _pathBytes;
    private readonly byte[]? _method;
    private readonly Regex? _regex;

    public RouteRule(HttpFrontend frontend, HstsConfig? listenerHsts)
    {
        Frontend = frontend;
        Target = new RouteTarget(frontend, listenerHsts);
        Kind = frontend.Path.Kind;
        Path = frontend.Path.Value;
        if (Kind != PathRuleKind.Regex && Path.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            // The parser admits only visible ASCII in a target, so such a rule could never match.
            throw new ArgumentException($"frontend {frontend.Hostname}: path '{Path}' must be visible ASCII (percent-encode the rest)", nameof(frontend));
        }
        _pathBytes = Encoding.ASCII.GetBytes(Path);
        _method = string.IsNullOrEmpty(frontend.Method) ? null : Encoding.ASCII.GetBytes(frontend.Method);
        if (Kind == PathRuleKind.Regex)
        {
            try
            {
                // Anchored at both ends, as Sōzu does, so "/api" never matches "/x/api/y".
                _regex = new Regex(@"\A(?:" + Path + @")\z", RegexEngine, Regex.InfiniteMatchTimeout);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException) // NotSupported: look-around, back-references
            {
                throw new ArgumentException($"frontend {frontend.Hostname}: invalid path regex '{Path}': {e.Message}", nameof(frontend), e);
            }
        }
    }

    public HttpFrontend Frontend { get; }

    /// <summary>Replaced (never mutated) when the listener's policy changes: a request already routed keeps the target it got.</summary>
    public RouteTarget Target { get; private set; }

    public PathRuleKind Kind { get; }

    public string Path { get; }

    public int PrefixLength => _pathBytes.Length;

    public bool HasMethod => _method is not null;

    public bool MatchesMethod(ReadOnlySpan<byte> method) => _method is null || method.SequenceEqual(_method);

    /// <summary>Whether this rule matches the path, given both as bytes and as decoded ASCII chars.</summary>
    public bool MatchesPath(ReadOnlySpan<byte> path, ReadOnlySpan<char> pathChars) => Kind switch
    {
        PathRuleKind.Prefix => path.StartsWith(_pathBytes),
        PathRuleKind.Exact => path.SequenceEqual(_pathBytes),
        _ => _regex!.IsMatch(pathChars),
    };

    /// <summary>The listener's HSTS policy changed: frontends without their own take the new one.</summary>
    public void InheritListenerHsts(HstsConfig? listenerHsts)
    {
        if (Frontend.Hsts is null)
        {
            Target = new RouteTarget(Frontend, listenerHsts);
        }
    }

    /// <summary>Same conditions (host aside): two such frontends cannot coexist.</summary>
    public bool SameConditions(HttpFrontend other) =>
        other.Path == Frontend.Path
        && string.Equals(other.Method ?? "", Frontend.Method ?? "", StringComparison.Ordinal)
        && other.Position == Frontend.Position;
}
