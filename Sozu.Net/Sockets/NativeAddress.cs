using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Sozu.Net.Interop;

namespace Sozu.Net.Sockets;

/// <summary>
/// A sockaddr_in / sockaddr_in6 held by value, so accepting or connecting allocates nothing.
/// Conversion to <see cref="IPEndPoint"/> allocates and is for logs, queries and tests only.
/// </summary>
public struct NativeAddress : IEquatable<NativeAddress>
{
    internal const int Capacity = 28;

    private Bytes _bytes;

    public int Length { get; internal set; }

    [InlineArray(Capacity)]
    internal struct Bytes
    {
        private byte _first;
    }

    internal static Span<byte> RawOf(ref NativeAddress address) => address._bytes;

    public readonly bool IsEmpty => Length == 0;

    public readonly int Family => Length == 0 ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(((ReadOnlySpan<byte>)_bytes)[..2]);

    public readonly int Port => Length == 0 ? 0 : BinaryPrimitives.ReadUInt16BigEndian(((ReadOnlySpan<byte>)_bytes).Slice(2, 2));

    public static NativeAddress From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = new NativeAddress();
        Span<byte> raw = address._bytes;
        raw.Clear();
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(raw, Libc.AfInet);
            BinaryPrimitives.WriteUInt16BigEndian(raw[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(raw.Slice(4, 4), out _);
            address.Length = 16;
        }
        else if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(raw, Libc.AfInet6);
            BinaryPrimitives.WriteUInt16BigEndian(raw[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(raw.Slice(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(raw[24..], (uint)endPoint.Address.ScopeId);
            address.Length = 28;
        }
        else
        {
            throw new ArgumentException($"unsupported address family {endPoint.AddressFamily}", nameof(endPoint));
        }
        return address;
    }

    /// <summary>An IPv4 address from its 4 bytes (network order) and a port, without allocating.</summary>
    public static NativeAddress FromIPv4(ReadOnlySpan<byte> ip, int port)
    {
        var address = new NativeAddress();
        Span<byte> raw = address._bytes;
        BinaryPrimitives.WriteUInt16LittleEndian(raw, Libc.AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(raw[2..], (ushort)port);
        ip[..4].CopyTo(raw.Slice(4, 4));
        address.Length = 16;
        return address;
    }

    /// <summary>An IPv6 address from its 16 bytes (network order) and a port, scope 0, without allocating.</summary>
    public static NativeAddress FromIPv6(ReadOnlySpan<byte> ip, int port)
    {
        var address = new NativeAddress();
        Span<byte> raw = address._bytes;
        BinaryPrimitives.WriteUInt16LittleEndian(raw, Libc.AfInet6);
        BinaryPrimitives.WriteUInt16BigEndian(raw[2..], (ushort)port);
        ip[..16].CopyTo(raw.Slice(8, 16));
        address.Length = 28;
        return address;
    }

    public readonly bool IsIPv4 => Family == Libc.AfInet;

    public readonly bool IsIPv6 => Family == Libc.AfInet6;

    /// <summary>Copies the IP (4 or 16 bytes, network order) into <paramref name="destination"/>; the count, 0 for an empty address.</summary>
    public readonly int CopyIp(Span<byte> destination)
    {
        ReadOnlySpan<byte> raw = _bytes;
        switch (Family)
        {
            case Libc.AfInet:
                raw.Slice(4, 4).CopyTo(destination);
                return 4;
            case Libc.AfInet6:
                raw.Slice(8, 16).CopyTo(destination);
                return 16;
            default:
                return 0;
        }
    }

    /// <summary>Parses "ip:port" or "[v6]:port"; false with a reason on anything else.</summary>
    public static bool TryParse(string text, out NativeAddress address, out string error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text) || !IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
        {
            error = $"'{text}' is not an ip:port address";
            return false;
        }
        if (endPoint.Port is < 0 or > 65535)
        {
            error = $"'{text}': port out of range";
            return false;
        }
        address = From(endPoint);
        error = "";
        return true;
    }

    public readonly IPEndPoint ToEndPoint()
    {
        ReadOnlySpan<byte> raw = _bytes;
        return Family switch
        {
            Libc.AfInet => new IPEndPoint(new IPAddress(raw.Slice(4, 4)), Port),
            Libc.AfInet6 => new IPEndPoint(new IPAddress(raw.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(raw[24..])), Port),
            _ => new IPEndPoint(IPAddress.None, 0),
        };
    }

    /// <summary>The IP as text ("192.0.2.1", "2001:db8::1"), without the port; IPv4 allocates nothing.</summary>
    public readonly bool TryFormatIp(Span<byte> destination, out int written)
    {
        ReadOnlySpan<byte> raw = _bytes;
        written = 0;
        if (Family == Libc.AfInet)
        {
            for (var i = 0; i < 4; i++)
            {
                if (i > 0)
                {
                    if (written >= destination.Length)
                    {
                        return false;
                    }
                    destination[written++] = (byte)'.';
                }
                if (!System.Buffers.Text.Utf8Formatter.TryFormat(raw[4 + i], destination[written..], out var digits))
                {
                    return false;
                }
                written += digits;
            }
            return true;
        }
        return Family == Libc.AfInet6 && new IPAddress(raw.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(raw[24..])).TryFormat(destination, out written);
    }

    public override readonly string ToString() => Length == 0 ? "-" : ToEndPoint().ToString();

    public readonly bool Equals(NativeAddress other) =>
        Length == other.Length && ((ReadOnlySpan<byte>)_bytes)[..Length].SequenceEqual(((ReadOnlySpan<byte>)other._bytes)[..Length]);

    public override readonly bool Equals(object? obj) => obj is NativeAddress other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(((ReadOnlySpan<byte>)_bytes)[..Length]);
        return hash.ToHashCode();
    }

    public static bool operator ==(NativeAddress left, NativeAddress right) => left.Equals(right);

    public static bool operator !=(NativeAddress left, NativeAddress right) => !left.Equals(right);
}
