namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// IPv4 dotted-quad and IPv6 text (RFC 4291 §2.2, with "::" and a dotted IPv4 tail) to bytes,
/// on ASCII spans, without allocating. Strict, as inet_pton: no leading zero in an IPv4 part,
/// no zone index, nothing around the address.
/// </summary>
internal static class IpText
{
    public static bool TryParseIPv4(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var part = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var value = 0;
            while (i < text.Length && (uint)(text[i] - '0') <= 9 && i - start < 3)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }
            var digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }
            destination[part++] = (byte)value;
            if (part == 4)
            {
                return i == text.Length;
            }
            if (i >= text.Length || text[i] != '.')
            {
                return false;
            }
            i++;
        }
    }

    public static bool TryParseIPv6(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var compressAt = -1;
        var i = 0;
        if (text.Length >= 2 && text[0] == ':' && text[1] == ':')
        {
            compressAt = 0;
            i = 2;
        }
        while (i < text.Length)
        {
            if (count == 8)
            {
                return false;
            }
            var start = i;
            var value = 0;
            while (i < text.Length && HexValue(text[i]) is var digit and >= 0)
            {
                value = (value << 4) | digit;
                i++;
                if (i - start > 4)
                {
                    break;
                }
            }
            if (i < text.Length && text[i] == '.')
            {
                // A dotted IPv4 tail: the last two groups, and the end of the text.
                if (count > 6)
                {
                    return false;
                }
                Span<byte> v4 = stackalloc byte[4];
                if (!TryParseIPv4(text[start..], v4))
                {
                    return false;
                }
                groups[count++] = (ushort)((v4[0] << 8) | v4[1]);
                groups[count++] = (ushort)((v4[2] << 8) | v4[3]);
                i = text.Length;
                break;
            }
            var digits = i - start;
            if (digits is 0 or > 4)
            {
                return false;
            }
            groups[count++] = (ushort)value;
            if (i == text.Length)
            {
                break;
            }
            if (text[i] != ':')
            {
                return false;
            }
            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (compressAt >= 0)
                {
                    return false;
                }
                compressAt = count;
                i++;
            }
            else if (i == text.Length)
            {
                // A single trailing colon.
                return false;
            }
        }
        if (compressAt < 0 ? count != 8 : count > 7)
        {
            return false;
        }
        if (compressAt >= 0)
        {
            var tail = count - compressAt;
            for (var k = 1; k <= tail; k++)
            {
                groups[8 - k] = groups[count - k];
            }
            groups[compressAt..(8 - tail)].Clear();
        }
        for (var k = 0; k < 8; k++)
        {
            destination[2 * k] = (byte)(groups[k] >> 8);
            destination[(2 * k) + 1] = (byte)groups[k];
        }
        return true;
    }

    /// <summary>A decimal port 0–65535, no sign, no leading zero (but "0" itself).</summary>
    public static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }
        foreach (var c in text)
        {
            if ((uint)(c - '0') > 9)
            {
                return false;
            }
            port = (port * 10) + (c - '0');
        }
        return port <= 65535;
    }

    /// <summary>Writes an IPv4 address as a dotted quad; the byte count.</summary>
    public static int FormatIPv4(ReadOnlySpan<byte> ip, Span<byte> destination)
    {
        var written = 0;
        for (var k = 0; k < 4; k++)
        {
            if (k > 0)
            {
                destination[written++] = (byte)'.';
            }
            written += FormatDecimal(ip[k], destination[written..]);
        }
        return written;
    }

    /// <summary>Writes an IPv6 address as eight hex groups without leading zeros (valid RFC 4291 text, not compressed); the byte count.</summary>
    public static int FormatIPv6(ReadOnlySpan<byte> ip, Span<byte> destination)
    {
        var written = 0;
        for (var k = 0; k < 8; k++)
        {
            if (k > 0)
            {
                destination[written++] = (byte)':';
            }
            var group = (ip[2 * k] << 8) | ip[(2 * k) + 1];
            var started = false;
            for (var shift = 12; shift >= 0; shift -= 4)
            {
                var nibble = (group >> shift) & 0xF;
                if (nibble != 0 || started || shift == 0)
                {
                    destination[written++] = (byte)"0123456789abcdef"[nibble];
                    started = true;
                }
            }
        }
        return written;
    }

    public static int FormatDecimal(int value, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[5];
        var count = 0;
        do
        {
            digits[count++] = (byte)('0' + (value % 10));
            value /= 10;
        }
        while (value > 0);
        for (var k = 0; k < count; k++)
        {
            destination[k] = digits[count - 1 - k];
        }
        return count;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
