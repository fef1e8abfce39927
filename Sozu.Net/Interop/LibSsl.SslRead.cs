using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_read")]
    internal static unsafe partial int SslRead(SslHandle ssl, byte* buffer, int length);
}
