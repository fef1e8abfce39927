using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_get_ex_data")]
    internal static partial nint SslGetExData(nint ssl, int index);
}
