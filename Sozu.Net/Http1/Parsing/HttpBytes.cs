using System.Buffers;

namespace Sozu.Net.Http1.Parsing;

/// <summary>Byte classes of RFC 9110/9112, as vectorised sets.</summary>
internal static class HttpBytes
{
    /// <summary>tchar: the bytes of a method, a header name or a coding.</summary>
    public static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Control bytes forbidden in a field value or reason phrase (HTAB is allowed).</summary>
    public static readonly SearchValues<byte> ForbiddenInValue = SearchValues.Create(
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
        0x7F,
    ]);

    /// <summary>
    /// Bytes of a host (reg-name, IP literal, port). Narrower than RFC 3986 on purpose: no '@',
    /// '/', '?', '#' or '\', so a Host can never smuggle a path or credentials into a redirect.
    /// </summary>
    public static readonly SearchValues<byte> Host =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:[]%"u8);

    public static bool IsOws(byte b) => b is (byte)' ' or (byte)'\t';

    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && IsOws(value[start]))
        {
            start++;
        }
        var end = value.Length;
        while (end > start && IsOws(value[end - 1]))
        {
            end--;
        }
        return value[start..end];
    }

    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(Token);

    /// <summary>Parses 1 to 18 decimal digits; anything else (sign, space, overflow) is false.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }
        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }
            value = (value * 10) + d;
        }
        return true;
    }
}
