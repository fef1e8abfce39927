using Sozu.Messages.Config;

namespace Sozu.Messages.State;

/// <summary>
/// What makes an HTTP(S) frontend unique on its listener: where, which host, which path, which
/// method, at which position. The cluster, tags and HSTS are what the rule leads to, not
/// what it is, so two frontends differing only in those are duplicates.
/// </summary>
public readonly record struct HttpFrontendKey(
    string Address,
    string Hostname,
    PathRuleKind PathKind,
    string PathValue,
    string? Method,
    RulePosition Position)
{
    /// <summary>Orders by address first, then host, so a listener's frontends sit together. Hostnames ignore ASCII case.</summary>
    public static readonly IComparer<HttpFrontendKey> Comparer = Comparer<HttpFrontendKey>.Create(Compare);

    public static HttpFrontendKey Of(HttpFrontend frontend)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        return new(frontend.Address, frontend.Hostname, frontend.Path.Kind, frontend.Path.Value, frontend.Method, frontend.Position);
    }

    private static int Compare(HttpFrontendKey x, HttpFrontendKey y)
    {
        var c = string.CompareOrdinal(x.Address, y.Address);
        if (c != 0)
        {
            return c;
        }
        c = string.Compare(x.Hostname, y.Hostname, StringComparison.OrdinalIgnoreCase);
        if (c != 0)
        {
            return c;
        }
        c = x.PathKind.CompareTo(y.PathKind);
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(x.PathValue, y.PathValue);
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(x.Method, y.Method);
        return c != 0 ? c : x.Position.CompareTo(y.Position);
    }

    public override string ToString() =>
        $"{Address} {Hostname} {PathKind.ToString().ToLowerInvariant()}:{PathValue}" + (Method is null ? "" : " " + Method) + $" ({Position.ToString().ToLowerInvariant()})";
}
