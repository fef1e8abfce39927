using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

/// <summary>
/// struct epoll_event is { uint32 events; uint64 data; }, declared packed on x86-64 (12 bytes)
/// and naturally aligned elsewhere (16 bytes). Reading it at computed offsets keeps one code
/// path for both instead of two struct declarations.
/// </summary>
internal static class EpollEventLayout
{
    internal static readonly int Size = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    internal static unsafe uint ReadEvents(byte* events, int index) =>
        Unsafe.ReadUnaligned<uint>(events + (index * Size));

    internal static unsafe ulong ReadData(byte* events, int index) =>
        Unsafe.ReadUnaligned<ulong>(events + (index * Size) + DataOffset);

    internal static unsafe void Write(byte* ev, uint events, ulong data)
    {
        Unsafe.WriteUnaligned(ev, events);
        Unsafe.WriteUnaligned(ev + DataOffset, data);
    }
}
