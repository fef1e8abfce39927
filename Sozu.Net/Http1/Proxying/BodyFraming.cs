using Sozu.Net.Http1.Parsing;

namespace Sozu.Net.Http1.Proxying;

/// <summary>
/// Tells how many of the bytes following a head belong to its body, so a body is streamed
/// as it arrives and never buffered whole, and bytes after it (a pipelined request) stay
/// where they are. Embedded by value in the stage, reset per message.
/// </summary>
internal struct BodyFraming
{
    private BodyKind _kind;
    private long _remaining;
    private ChunkedBodyScanner _chunks;

    public bool Done { get; private set; }

    public readonly bool IsCloseDelimited => _kind == BodyKind.CloseDelimited;

    public void Start(BodyKind kind, long contentLength)
    {
        _kind = kind;
        _remaining = contentLength < 0 ? 0 : contentLength;
        _chunks.Reset();
        Done = kind == BodyKind.None || (kind == BodyKind.ContentLength && _remaining == 0);
    }

    /// <summary>How many of <paramref name="data"/> belong to the body (setting <see cref="Done"/> at its end); -1 for broken chunking.</summary>
    public int Frame(ReadOnlySpan<byte> data)
    {
        if (Done || data.IsEmpty)
        {
            return 0;
        }
        switch (_kind)
        {
            case BodyKind.ContentLength:
                var take = (int)Math.Min(_remaining, data.Length);
                _remaining -= take;
                Done = _remaining == 0;
                return take;
            case BodyKind.Chunked:
                var status = _chunks.Scan(data, out var consumed);
                if (status == ChunkedScanStatus.Invalid)
                {
                    return -1;
                }
                Done = status == ChunkedScanStatus.Done;
                return consumed;
            case BodyKind.CloseDelimited:
                return data.Length;
            default:
                Done = true;
                return 0;
        }
    }

    /// <summary>The sender closed: the end of a close-delimited body, a truncation for any other.</summary>
    public bool EndOfStream()
    {
        if (_kind == BodyKind.CloseDelimited)
        {
            Done = true;
        }
        return Done;
    }
}
