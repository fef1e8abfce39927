using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

/// <summary>One TLS connection (SSL). Freeing it also frees the two memory BIOs given to SSL_set_bio.</summary>
internal sealed class SslHandle : SafeHandle
{
    public SslHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibSsl.SslFree(handle);
        return true;
    }
}
