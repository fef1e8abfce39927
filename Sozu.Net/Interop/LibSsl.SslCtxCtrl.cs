using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_ctrl")]
    internal static unsafe partial nint SslCtxCtrl(SslContextHandle context, int command, nint larg, void* parg);
}
