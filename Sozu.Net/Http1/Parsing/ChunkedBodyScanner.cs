namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// Finds where a chunked body ends without copying or decoding it: the proxy forwards chunked
/// bytes as received, so it only needs to know how many of them belong to this message. Fed
/// successive spans split anywhere (inside a size, a CRLF or a trailer). A mutable struct the
/// session embeds; <see cref="Reset"/> before each body.
/// </summary>
public struct ChunkedBodyScanner
{
    /// <summary>Chunk extensions are legal but useless to a proxy; a longer one is an attack.</summary>
    public const int MaxExtensionLength = 4096;

    /// <summary>Trailer fields, all lines together.</summary>
    public const int MaxTrailerLength = 16 * 1024;

    // A size above this would overflow on the next hex digit.
    private const long MaxSizeBeforeShift = long.MaxValue >> 4;

    private State _state;
    private long _remaining;
    private int _lineLength;
    private int _trailerLength;

    private enum State : byte
    {
        SizeStart,
        Size,
        SizeWhitespace,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerStart,
        Trailer,
        TrailerLf,
        FinalLf,
        Done,
        Invalid,
    }

    public readonly bool IsDone => _state == State.Done;

    public void Reset() => this = default;

    /// <summary>
    /// Scans the next bytes of the body. <paramref name="consumed"/> is how many of them belong to
    /// it: all of them for NeedMore, up to and including the final CRLF for Done, and the offset
    /// of the offending byte for Invalid.
    /// </summary>
    public ChunkedScanStatus Scan(ReadOnlySpan<byte> data, out int consumed)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Data:
                    {
                        var take = (int)Math.Min(_remaining, data.Length - i);
                        _remaining -= take;
                        i += take;
                        if (_remaining == 0)
                        {
                            _state = State.DataCr;
                        }
                        continue;
                    }
                case State.Done:
                    consumed = 0;
                    return ChunkedScanStatus.Done;
                case State.Invalid:
                    consumed = 0;
                    return ChunkedScanStatus.Invalid;
            }

            if (!Step(data[i]))
            {
                _state = State.Invalid;
                consumed = i;
                return ChunkedScanStatus.Invalid;
            }
            i++;
            if (_state == State.Done)
            {
                consumed = i;
                return ChunkedScanStatus.Done;
            }
        }
        consumed = i;
        return _state == State.Done ? ChunkedScanStatus.Done : ChunkedScanStatus.NeedMore;
    }

    /// <summary>Advances over one framing byte; false when it is not allowed here.</summary>
    private bool Step(byte b)
    {
        switch (_state)
        {
            case State.SizeStart:
                if (!TryHex(b, out var first))
                {
                    return false;
                }
                _remaining = first;
                _state = State.Size;
                return true;
            case State.Size:
                if (TryHex(b, out var digit))
                {
                    if (_remaining > MaxSizeBeforeShift)
                    {
                        return false;
                    }
                    _remaining = (_remaining << 4) | digit;
                    return true;
                }
                return AfterSize(b);
            case State.SizeWhitespace:
                return AfterSize(b);
            case State.Extension:
                if (b == '\r')
                {
                    _state = State.SizeLf;
                    return true;
                }
                return IsLineByte(b) && ++_lineLength <= MaxExtensionLength;
            case State.SizeLf:
                if (b != '\n')
                {
                    return false;
                }
                _state = _remaining == 0 ? State.TrailerStart : State.Data;
                return true;
            case State.DataCr:
                _state = State.DataLf;
                return b == '\r';
            case State.DataLf:
                _state = State.SizeStart;
                return b == '\n';
            case State.TrailerStart:
                if (b == '\r')
                {
                    _state = State.FinalLf;
                    return true;
                }
                // A trailer line starting with whitespace would be obs-fold.
                _state = State.Trailer;
                return IsLineByte(b) && b != ' ' && b != '\t' && ++_trailerLength <= MaxTrailerLength;
            case State.Trailer:
                if (b == '\r')
                {
                    _state = State.TrailerLf;
                    return true;
                }
                return IsLineByte(b) && ++_trailerLength <= MaxTrailerLength;
            case State.TrailerLf:
                _state = State.TrailerStart;
                return b == '\n';
            case State.FinalLf:
                _state = State.Done;
                return b == '\n';
            default:
                return false;
        }
    }

    private bool AfterSize(byte b)
    {
        switch (b)
        {
            case (byte)'\r':
                _state = State.SizeLf;
                return true;
            case (byte)';':
                _lineLength = 0;
                _state = State.Extension;
                return true;
            case (byte)' ' or (byte)'\t':
                _state = State.SizeWhitespace; // BWS before an extension (RFC 9112 §7.1.1)
                return true;
            default:
                return false;
        }
    }

    private static bool IsLineByte(byte b) => b >= 0x20 ? b != 0x7F : b == '\t';

    private static bool TryHex(byte b, out long value)
    {
        value = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
