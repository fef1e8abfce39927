using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    /// <summary>1 when the ClientHello carries the extension; <paramref name="data"/> then points into OpenSSL's copy of it.</summary>
    [LibraryImport(Name, EntryPoint = "SSL_client_hello_get0_ext")]
    internal static unsafe partial int SslClientHelloGet0Ext(nint ssl, uint type, byte** data, nuint* length);
}
