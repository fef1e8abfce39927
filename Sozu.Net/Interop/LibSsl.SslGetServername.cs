using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_get_servername")]
    internal static unsafe partial byte* SslGetServername(nint ssl, int type);
}
