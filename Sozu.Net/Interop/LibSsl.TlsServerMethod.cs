using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "TLS_server_method")]
    internal static partial nint TlsServerMethod();
}
