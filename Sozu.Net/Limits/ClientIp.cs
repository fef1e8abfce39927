using System.Buffers.Binary;
using Sozu.Net.Sockets;

namespace Sozu.Net.Limits;

/// <summary>A client's IP without its port, as a hashable value (no allocation per lookup).</summary>
internal readonly record struct ClientIp(ulong High, ulong Low)
{
    public static ClientIp Of(in NativeAddress address)
    {
        var copy = address;
        ReadOnlySpan<byte> raw = NativeAddress.RawOf(ref copy);
        return copy.Family switch
        {
            Interop.Libc.AfInet => new ClientIp(0, BinaryPrimitives.ReadUInt32BigEndian(raw.Slice(4, 4))),
            Interop.Libc.AfInet6 => new ClientIp(BinaryPrimitives.ReadUInt64BigEndian(raw.Slice(8, 8)), BinaryPrimitives.ReadUInt64BigEndian(raw.Slice(16, 8))),
            _ => default,
        };
    }
}
