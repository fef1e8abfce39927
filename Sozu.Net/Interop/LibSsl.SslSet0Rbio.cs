using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    /// <summary>Replaces the SSL's read BIO and frees the previous one.</summary>
    [LibraryImport(Name, EntryPoint = "SSL_set0_rbio")]
    internal static partial void SslSet0Rbio(SslHandle ssl, nint bio);
}
