using Sozu.Messages.Config;

namespace Sozu.Messages.State;

/// <summary>
/// What makes an HTTP(S) frontend unique on its listener: where, which host, which path, which
/// method, at which position. The cluster, tags and HSTS are what the rule leads to, not
/// what it is, so two frontends differing only in those are duplicates. The hostname is kept
/// in lower case, as DNS ignores case, so keys compare ordinally (a case-insensitive compare
/// measured as the largest cost of diffing 50,000 frontends).
/// </summary>
public readonly record struct HttpFrontendKey(
    string Address,
    string Hostname,
    PathRuleKind PathKind,
    string PathValue,
    string? Method,
    RulePosition Position)
{
    /// <summary>Orders by address first, then host, so a listener's frontends sit together.</summary>
    public static readonly IComparer<HttpFrontendKey> Comparer = new KeyComparer();

    public static HttpFrontendKey Of(HttpFrontend frontend)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        // ToLowerInvariant returns the same instance when nothing changes: no allocation for the usual lower-case name.
        return new(frontend.Address, frontend.Hostname.ToLowerInvariant(), frontend.Path.Kind, frontend.Path.Value, frontend.Method, frontend.Position);
    }

    private sealed class KeyComparer : IComparer<HttpFrontendKey>
    {
        public int Compare(HttpFrontendKey x, HttpFrontendKey y) => CompareKeys(in x, in y);
    }

    private static int CompareKeys(in HttpFrontendKey x, in HttpFrontendKey y)
    {
        var c = string.CompareOrdinal(x.Address, y.Address);
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(x.Hostname, y.Hostname);
        if (c != 0)
        {
            return c;
        }
        // Enums only have CompareTo(object): compare the numbers, or every comparison boxes twice.
        c = ((int)x.PathKind).CompareTo((int)y.PathKind);
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
        return c != 0 ? c : ((int)x.Position).CompareTo((int)y.Position);
    }

    public override string ToString() =>
        $"{Address} {Hostname} {PathKind.ToString().ToLowerInvariant()}:{PathValue}" + (Method is null ? "" : " " + Method) + $" ({Position.ToString().ToLowerInvariant()})";
}
