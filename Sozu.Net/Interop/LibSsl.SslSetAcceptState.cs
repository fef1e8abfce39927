using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_set_accept_state")]
    internal static partial void SslSetAcceptState(SslHandle ssl);
}
