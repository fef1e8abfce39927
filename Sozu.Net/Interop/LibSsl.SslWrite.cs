using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_write")]
    internal static unsafe partial int SslWrite(SslHandle ssl, byte* buffer, int length);
}
