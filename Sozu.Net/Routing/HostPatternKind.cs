namespace Sozu.Net.Routing;

internal enum HostPatternKind : byte
{
    /// <summary>"example.com": that name only.</summary>
    Exact,

    /// <summary>"*.example.com": exactly one more non-empty label, as in Sōzu.</summary>
    Wildcard,

    /// <summary>"*": any host.</summary>
    Any,
}
