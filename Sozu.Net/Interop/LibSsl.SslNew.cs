using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_new")]
    internal static partial SslHandle SslNew(SslContextHandle context);
}
