namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// Finds where a chunked body ends without copying or decoding it: the proxy forwards chunked
/// bytes as received, so it only needs to know how many of them belong to this message. Fed
/// successive spans split anywhere (inside a size, a CRLF or a trailer). A mutable struct the
/// session embeds; <see cref="Reset"/> before each body.
/// <para>
/// Forwarded unchanged means every framing byte must read the same to any parser behind us, so
/// the grammar is enforced exactly (RFC 9112 §7.1) instead of re-framing: re-framing would
/// need a second buffer per body and a copy of every byte, while refusing costs a few states
/// here and nothing per request. Hence: at most 16 hex digits in a size, leading zeros
/// included (a backend that keeps only the last 16, or 8, digits of
/// <c>000000000000000000000000000000000f0</c> reads another size: HTTPWookiee's truncation
/// test); whitespace after a size only before an extension; an extension is
/// <c>;name</c> or <c>;name=token</c> or <c>;name="quoted"</c> (an empty <c>2;</c> is refused,
/// parsers disagree on it); a trailer line is a field <c>name: value</c>. Anything else is
/// <see cref="ChunkedScanStatus.Invalid"/>: 400 to a client, 502 from a backend.
/// </para>
/// </summary>
public struct ChunkedBodyScanner
{
    /// <summary>Chunk extensions are legal but useless to a proxy; a longer one is an attack.</summary>
    public const int MaxExtensionLength = 4096;

    /// <summary>Trailer fields, all lines together.</summary>
    public const int MaxTrailerLength = 16 * 1024;

    /// <summary>Hex digits in a chunk size, leading zeros included: 16 hold any 64-bit size.</summary>
    public const int MaxSizeDigits = 16;

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
        ExtensionNameStart,
        ExtensionName,
        AfterExtensionName,
        ExtensionValueStart,
        ExtensionToken,
        ExtensionQuoted,
        ExtensionQuotedPair,
        AfterExtensionQuoted,
        AfterExtensionValue,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerStart,
        TrailerName,
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
                _lineLength = 1;
                _state = State.Size;
                return true;
            case State.Size:
                if (TryHex(b, out var digit))
                {
                    if (++_lineLength > MaxSizeDigits || _remaining > MaxSizeBeforeShift)
                    {
                        return false;
                    }
                    _remaining = (_remaining << 4) | digit;
                    return true;
                }
                _lineLength = 0;
                return AfterSize(b);
            case State.SizeWhitespace:
                // BWS belongs before an extension only (RFC 9112 §7.1.1): "5 \r\n" is refused.
                if (IsWhitespace(b))
                {
                    return ++_lineLength <= MaxExtensionLength;
                }
                return Enter(b == ';', State.ExtensionNameStart);
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
                // A field name: a token then a colon (a line starting with whitespace would be obs-fold).
                _state = State.TrailerName;
                return IsToken(b) && ++_trailerLength <= MaxTrailerLength;
            case State.TrailerName:
                if (b == ':')
                {
                    _state = State.Trailer;
                }
                else if (!IsToken(b))
                {
                    return false;
                }
                return ++_trailerLength <= MaxTrailerLength;
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
                return ++_lineLength <= MaxExtensionLength && StepExtension(b);
        }
    }

    /// <summary>
    /// chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ), then CRLF;
    /// whitespace only where BWS stands, and never right before the CRLF.
    /// </summary>
    private bool StepExtension(byte b)
    {
        switch (_state)
        {
            case State.ExtensionNameStart:
                return IsWhitespace(b) || Enter(IsToken(b), State.ExtensionName);
            case State.ExtensionName:
                if (IsToken(b))
                {
                    return true;
                }
                return b switch
                {
                    (byte)'=' => Enter(true, State.ExtensionValueStart),
                    (byte)' ' or (byte)'\t' => Enter(true, State.AfterExtensionName),
                    _ => AfterExtensionElement(b),
                };
            case State.AfterExtensionName:
                if (IsWhitespace(b))
                {
                    return true;
                }
                return b == '=' ? Enter(true, State.ExtensionValueStart) : Enter(b == ';', State.ExtensionNameStart);
            case State.ExtensionValueStart:
                if (IsWhitespace(b))
                {
                    return true;
                }
                return b == '"' ? Enter(true, State.ExtensionQuoted) : Enter(IsToken(b), State.ExtensionToken);
            case State.ExtensionToken:
                if (IsToken(b))
                {
                    return true;
                }
                return IsWhitespace(b) ? Enter(true, State.AfterExtensionValue) : AfterExtensionElement(b);
            case State.ExtensionQuoted:
                return b switch
                {
                    (byte)'"' => Enter(true, State.AfterExtensionQuoted),
                    (byte)'\\' => Enter(true, State.ExtensionQuotedPair),
                    // qdtext without obs-text: HTAB, SP and visible ASCII but DQUOTE and backslash.
                    _ => b == '\t' || (b >= 0x20 && b < 0x7F),
                };
            case State.ExtensionQuotedPair:
                return Enter(b == '\t' || (b >= 0x20 && b < 0x7F), State.ExtensionQuoted);
            case State.AfterExtensionQuoted:
                return IsWhitespace(b) ? Enter(true, State.AfterExtensionValue) : AfterExtensionElement(b);
            case State.AfterExtensionValue:
                return IsWhitespace(b) || Enter(b == ';', State.ExtensionNameStart);
            default:
                return false;
        }
    }

    /// <summary>Right after a size, an extension name or value: the line ends or another extension starts.</summary>
    private bool AfterExtensionElement(byte b) => b switch
    {
        (byte)'\r' => Enter(true, State.SizeLf),
        (byte)';' => Enter(true, State.ExtensionNameStart),
        _ => false,
    };

    private bool AfterSize(byte b) => IsWhitespace(b) ? Enter(true, State.SizeWhitespace) : AfterExtensionElement(b);

    private bool Enter(bool allowed, State next)
    {
        _state = next;
        return allowed;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    private static bool IsToken(byte b) => HttpBytes.Token.Contains(b);

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
