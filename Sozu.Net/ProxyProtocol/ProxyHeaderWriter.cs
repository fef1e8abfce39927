using System.Buffers.Binary;
using Sozu.Net.Sockets;

namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// Writes the PROXY header a backend receives first (send_proxy): v2 by default, as Sōzu
/// sends it (its configuration has no version field), v1 for tests and tools. An IPv4 and an
/// IPv6 address together are written as IPv6 (the IPv4 one mapped, ::ffff:a.b.c.d); without
/// addresses (an empty or non-IP source) v2 says LOCAL and v1 says UNKNOWN.
/// </summary>
public static class ProxyHeaderWriter
{
    /// <summary>The longest v2 header this writes (IPv6, no TLV).</summary>
    public const int V2MaxLength = ProxyHeaderParser.V2FixedLength + 36;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Writes a v2 header into <paramref name="destination"/> (at least <see cref="V2MaxLength"/> bytes); the byte count.</summary>
    public static int WriteV2(Span<byte> destination, in NativeAddress source, in NativeAddress target)
    {
        if (destination.Length < V2MaxLength)
        {
            throw new ArgumentException($"a v2 header needs {V2MaxLength} bytes", nameof(destination));
        }
        V2Signature.CopyTo(destination);
        if (!HasIp(source) || !HasIp(target))
        {
            destination[12] = 0x20;
            destination[13] = 0x00;
            BinaryPrimitives.WriteUInt16BigEndian(destination[14..], 0);
            return ProxyHeaderParser.V2FixedLength;
        }
        destination[12] = 0x21;
        var block = destination[ProxyHeaderParser.V2FixedLength..];
        if (source.IsIPv4 && target.IsIPv4)
        {
            destination[13] = 0x11;
            BinaryPrimitives.WriteUInt16BigEndian(destination[14..], 12);
            source.CopyIp(block);
            target.CopyIp(block[4..]);
            BinaryPrimitives.WriteUInt16BigEndian(block[8..], (ushort)source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(block[10..], (ushort)target.Port);
            return ProxyHeaderParser.V2FixedLength + 12;
        }
        destination[13] = 0x21;
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], 36);
        CopyAsIPv6(source, block);
        CopyAsIPv6(target, block[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(block[32..], (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(block[34..], (ushort)target.Port);
        return V2MaxLength;
    }

    /// <summary>Writes a v1 line into <paramref name="destination"/> (at least 107 bytes); the byte count.</summary>
    public static int WriteV1(Span<byte> destination, in NativeAddress source, in NativeAddress target)
    {
        if (destination.Length < ProxyHeaderParser.V1MaxLength)
        {
            throw new ArgumentException($"a v1 header needs {ProxyHeaderParser.V1MaxLength} bytes", nameof(destination));
        }
        var written = 0;
        Append(destination, ref written, "PROXY "u8);
        if (!HasIp(source) || !HasIp(target))
        {
            Append(destination, ref written, "UNKNOWN\r\n"u8);
            return written;
        }
        var v4 = source.IsIPv4 && target.IsIPv4;
        Append(destination, ref written, v4 ? "TCP4 "u8 : "TCP6 "u8);
        Span<byte> ip = stackalloc byte[16];
        WriteIp(destination, ref written, source, v4, ip);
        destination[written++] = (byte)' ';
        WriteIp(destination, ref written, target, v4, ip);
        destination[written++] = (byte)' ';
        written += IpText.FormatDecimal(source.Port, destination[written..]);
        destination[written++] = (byte)' ';
        written += IpText.FormatDecimal(target.Port, destination[written..]);
        Append(destination, ref written, "\r\n"u8);
        return written;
    }

    private static bool HasIp(in NativeAddress address) => address.IsIPv4 || address.IsIPv6;

    private static void WriteIp(Span<byte> destination, ref int written, in NativeAddress address, bool v4, Span<byte> scratch)
    {
        if (v4)
        {
            address.CopyIp(scratch);
            written += IpText.FormatIPv4(scratch, destination[written..]);
            return;
        }
        CopyAsIPv6(address, scratch);
        written += IpText.FormatIPv6(scratch, destination[written..]);
    }

    private static void CopyAsIPv6(in NativeAddress address, Span<byte> destination)
    {
        if (address.IsIPv6)
        {
            address.CopyIp(destination);
            return;
        }
        destination[..10].Clear();
        destination[10] = 0xFF;
        destination[11] = 0xFF;
        address.CopyIp(destination[12..]);
    }

    private static void Append(Span<byte> destination, ref int written, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination[written..]);
        written += text.Length;
    }
}
