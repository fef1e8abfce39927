using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_set_bio")]
    internal static partial void SslSetBio(SslHandle ssl, nint readBio, nint writeBio);
}
