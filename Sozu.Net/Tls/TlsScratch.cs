using System.Runtime.InteropServices;

namespace Sozu.Net.Tls;

/// <summary>
/// One native buffer per loop for ciphertext in transit between a socket and a memory BIO,
/// and for dropping bytes a partial send already delivered. Loop thread only: it holds
/// nothing between calls, so every connection of the loop shares it.
/// </summary>
internal sealed unsafe class TlsScratch : IDisposable
{
    /// <summary>Two maximal TLS records (16 KiB plaintext + 256 B overhead each) per recv.</summary>
    public const int Size = 2 * (16384 + 256);

    public TlsScratch() => Data = (byte*)NativeMemory.Alloc(Size);

    public byte* Data { get; private set; }

    public void Dispose()
    {
        if (Data != null)
        {
            NativeMemory.Free(Data);
            Data = null;
        }
    }
}
