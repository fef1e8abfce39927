namespace Sozu.Net.Http1.Parsing;

/// <summary>A parsed response head as offsets into the backend buffer; reused per response.</summary>
public sealed class ResponseHead : MessageHead
{
    public ResponseHead(int maxHeaders = DefaultMaxHeaders, int maxHeadLength = DefaultMaxHeadLength)
        : base(maxHeaders, maxHeadLength) => Reset();

    public int StatusCode { get; internal set; }

    public ByteRange Reason { get; internal set; }

    /// <summary>1xx other than 101: an interim answer; another head follows for the same request.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 && StatusCode != 101;

    /// <summary>The backend already sets Strict-Transport-Security; Sōzu's default keeps the backend's.</summary>
    public bool HasStrictTransportSecurity { get; internal set; }

    /// <summary>Whether the backend connection may be reused after this response's body.</summary>
    public bool KeepAlive => Body != BodyKind.CloseDelimited
        && (Connection & ConnectionOptions.Close) == 0
        && (Version == HttpVersion.Http11 || (Connection & ConnectionOptions.KeepAlive) != 0);

    internal override void Reset()
    {
        base.Reset();
        StatusCode = 0;
        Reason = default;
        HasStrictTransportSecurity = false;
    }
}
