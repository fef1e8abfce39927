using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_do_handshake")]
    internal static partial int SslDoHandshake(SslHandle ssl);
}
