using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>
/// The rules of one host, matched with Sōzu's precedence whatever the order they were added:
/// an exact path, then a regex (in order added), then the longest prefix; a rule whose method
/// differs is skipped, so the next best path rule can match.
/// </summary>
internal sealed class PathRules
{
    private readonly Dictionary<string, List<RouteRule>> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RouteRule>>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;
    private readonly List<RouteRule> _regex = [];

    // Longest first; for one prefix, rules with a method before the catch-all one.
    private readonly List<RouteRule> _prefix = [];

    public PathRules() => _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool IsEmpty => _exact.Count == 0 && _regex.Count == 0 && _prefix.Count == 0;

    /// <summary>Whether a lookup needs the path as chars (exact paths and regexes are matched on chars).</summary>
    public bool NeedsChars => _exact.Count > 0 || _regex.Count > 0;

    public RouteRule? Find(HttpFrontend frontend)
    {
        IEnumerable<RouteRule> candidates = frontend.Path.Kind switch
        {
            PathRuleKind.Exact => _exact.TryGetValue(frontend.Path.Value, out var list) ? list : [],
            PathRuleKind.Regex => _regex,
            _ => _prefix,
        };
        foreach (var rule in candidates)
        {
            if (rule.SameConditions(frontend))
            {
                return rule;
            }
        }
        return null;
    }

    public void Add(RouteRule rule)
    {
        switch (rule.Kind)
        {
            case PathRuleKind.Exact:
                if (!_exact.TryGetValue(rule.Path, out var list))
                {
                    _exact[rule.Path] = list = [];
                }
                InsertMethodFirst(list, rule);
                break;
            case PathRuleKind.Regex:
                _regex.Add(rule);
                break;
            default:
                var index = 0;
                while (index < _prefix.Count && Before(_prefix[index], rule))
                {
                    index++;
                }
                _prefix.Insert(index, rule);
                break;
        }
    }

    public void Remove(RouteRule rule)
    {
        switch (rule.Kind)
        {
            case PathRuleKind.Exact:
                var list = _exact[rule.Path];
                list.Remove(rule);
                if (list.Count == 0)
                {
                    _exact.Remove(rule.Path);
                }
                break;
            case PathRuleKind.Regex:
                _regex.Remove(rule);
                break;
            default:
                _prefix.Remove(rule);
                break;
        }
    }

    /// <summary>Every rule, in no particular order (configuration path only).</summary>
    public IEnumerable<RouteRule> All()
    {
        foreach (var list in _exact.Values)
        {
            foreach (var rule in list)
            {
                yield return rule;
            }
        }
        foreach (var rule in _regex)
        {
            yield return rule;
        }
        foreach (var rule in _prefix)
        {
            yield return rule;
        }
    }

    public RouteRule? Lookup(ReadOnlySpan<byte> path, ReadOnlySpan<char> pathChars, ReadOnlySpan<byte> method)
    {
        if (_exact.Count > 0 && _exactBySpan.TryGetValue(pathChars, out var exact))
        {
            foreach (var rule in exact)
            {
                if (rule.MatchesMethod(method))
                {
                    return rule;
                }
            }
        }
        foreach (var rule in _regex)
        {
            if (rule.MatchesMethod(method) && rule.MatchesPath(path, pathChars))
            {
                return rule;
            }
        }
        foreach (var rule in _prefix)
        {
            if (rule.MatchesMethod(method) && rule.MatchesPath(path, pathChars))
            {
                return rule;
            }
        }
        return null;
    }

    /// <summary>The order of prefix rules: longer first, then method-specific before catch-all, then older first.</summary>
    private static bool Before(RouteRule existing, RouteRule added) =>
        existing.PrefixLength > added.PrefixLength
        || (existing.PrefixLength == added.PrefixLength && (existing.HasMethod || !added.HasMethod));

    private static void InsertMethodFirst(List<RouteRule> list, RouteRule rule)
    {
        if (rule.HasMethod)
        {
            var index = 0;
            while (index < list.Count && list[index].HasMethod)
            {
                index++;
            }
            list.Insert(index, rule);
        }
        else
        {
            list.Add(rule);
        }
    }
}
