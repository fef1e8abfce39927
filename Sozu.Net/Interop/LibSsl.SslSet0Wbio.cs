using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    /// <summary>Replaces the SSL's write BIO and frees the previous one.</summary>
    [LibraryImport(Name, EntryPoint = "SSL_set0_wbio")]
    internal static partial void SslSet0Wbio(SslHandle ssl, nint bio);
}
