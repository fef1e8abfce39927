using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_get0_alpn_selected")]
    internal static unsafe partial void SslGet0AlpnSelected(SslHandle ssl, byte** data, uint* length);
}
