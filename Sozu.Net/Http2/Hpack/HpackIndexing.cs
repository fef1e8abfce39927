namespace Sozu.Net.Http2.Hpack;

/// <summary>How a field is to be represented when it is not found whole in a table (RFC 7541 6.2).</summary>
public enum HpackIndexing : byte
{
    /// <summary>Literal, added to the dynamic table (when the encoder keeps one).</summary>
    Incremental,

    /// <summary>Literal, not added.</summary>
    WithoutIndexing,

    /// <summary>Literal, not added here nor by any intermediary (credentials, short cookies).</summary>
    NeverIndexed,
}
