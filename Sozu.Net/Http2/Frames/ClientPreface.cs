namespace Sozu.Net.Http2.Frames;

/// <summary>
/// The 24 bytes a client sends first on every HTTP/2 connection (RFC 9113 section 3.4), before
/// its SETTINGS frame. A server checks them before reading any frame.
/// </summary>
public static class ClientPreface
{
    public const int Length = 24;

    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// <see cref="PrefaceStatus.Valid"/> when the input starts with the whole preface,
    /// <see cref="PrefaceStatus.NeedMore"/> when it is a proper prefix of it, and
    /// <see cref="PrefaceStatus.Invalid"/> as soon as one byte differs (an HTTP/1.1 request on
    /// an h2c port, a TLS record on a plain one).
    /// </summary>
    public static PrefaceStatus Check(ReadOnlySpan<byte> input)
    {
        var n = Math.Min(input.Length, Length);
        if (!input[..n].SequenceEqual(Bytes[..n]))
        {
            return PrefaceStatus.Invalid;
        }
        return n == Length ? PrefaceStatus.Valid : PrefaceStatus.NeedMore;
    }
}
