using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_set_ex_data")]
    internal static partial int SslSetExData(SslHandle ssl, int index, nint data);
}
