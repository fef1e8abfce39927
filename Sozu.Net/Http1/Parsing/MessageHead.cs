namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// What requests and responses share once parsed: the header table, body framing and the
/// Connection options. A session keeps one instance per direction and the parser resets it
/// on every call, so parsing allocates nothing.
/// </summary>
public abstract class MessageHead
{
    /// <summary>More header lines than this is a 431 (Sōzu and most proxies allow about 100).</summary>
    public const int DefaultMaxHeaders = 100;

    /// <summary>A head that has not ended within this many bytes is a 431: one default buffer.</summary>
    public const int DefaultMaxHeadLength = 16 * 1024;

    private readonly HeaderEntry[] _headers;
    private int _headerCount;

    protected MessageHead(int maxHeaders, int maxHeadLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaders, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeadLength, 16);
        _headers = new HeaderEntry[maxHeaders];
        MaxHeadLength = maxHeadLength;
    }

    public int MaxHeadLength { get; }

    public int MaxHeaders => _headers.Length;

    /// <summary>Offset of the first byte of the head (empty lines before a request are skipped).</summary>
    public int HeadStart { get; internal set; }

    /// <summary>Offset just past the blank line that ends the head: where the body starts.</summary>
    public int HeadEnd { get; internal set; }

    public HttpVersion Version { get; internal set; }

    public ReadOnlySpan<HeaderEntry> Headers => _headers.AsSpan(0, _headerCount);

    /// <summary>The parsed Content-Length, or -1 when absent.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>Transfer-Encoding is present and its last coding is chunked.</summary>
    public bool IsChunked { get; internal set; }

    /// <summary>Transfer-Encoding is present (whatever its codings).</summary>
    public bool HasTransferEncoding { get; internal set; }

    /// <summary>Transfer-Encoding names a coding other than chunked (gzip, identity, …).</summary>
    public bool HasOtherCoding { get; internal set; }

    public BodyKind Body { get; internal set; }

    public ConnectionOptions Connection { get; internal set; }

    /// <summary>The (last) Upgrade header value offering something other than h2c, e.g. "websocket"; empty when none does.</summary>
    public ByteRange Upgrade { get; internal set; }

    internal virtual void Reset()
    {
        _headerCount = 0;
        HeadStart = 0;
        HeadEnd = 0;
        Version = HttpVersion.Http11;
        ContentLength = -1;
        IsChunked = false;
        HasTransferEncoding = false;
        HasOtherCoding = false;
        Body = BodyKind.None;
        Connection = ConnectionOptions.None;
        Upgrade = default;
    }

    internal bool TryAddHeader(in HeaderEntry entry)
    {
        if (_headerCount == _headers.Length)
        {
            return false;
        }
        _headers[_headerCount++] = entry;
        return true;
    }
}
