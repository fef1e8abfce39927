using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

/// <summary>
/// Our reference to an SSL_CTX. OpenSSL counts references: every SSL created from or switched
/// to a context holds one, so releasing ours leaves the context alive for open connections.
/// </summary>
internal sealed class SslContextHandle : SafeHandle
{
    public SslContextHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibSsl.SslCtxFree(handle);
        return true;
    }
}
