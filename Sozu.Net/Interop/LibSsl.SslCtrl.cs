using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    /// <summary>SSL_ctrl: the per-connection form of the SSL_CTX_ctrl macros (min/max protocol version).</summary>
    [LibraryImport(Name, EntryPoint = "SSL_ctrl")]
    internal static unsafe partial nint SslCtrl(nint ssl, int command, nint larg, void* parg);
}
