namespace Sozu.Net.Http1.Parsing;

/// <summary>The tokens of the Connection header(s) the proxy acts on.</summary>
[Flags]
public enum ConnectionOptions : byte
{
    None = 0,
    Close = 1,
    KeepAlive = 2,
    Upgrade = 4,

    /// <summary>Connection names other headers, which are hop-by-hop and must not be forwarded.</summary>
    NamesOtherHeaders = 8,
}
