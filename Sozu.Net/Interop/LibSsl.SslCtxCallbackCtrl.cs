using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_callback_ctrl")]
    internal static partial nint SslCtxCallbackCtrl(SslContextHandle context, int command, nint callback);
}
