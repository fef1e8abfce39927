using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    /// <summary>
    /// int (*)(SSL*, unsigned char key_name[16], unsigned char iv[16], EVP_CIPHER_CTX*, EVP_MAC_CTX*, int enc):
    /// OpenSSL asks it for the key that seals (enc = 1) or opens (enc = 0) a session ticket.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "SSL_CTX_set_tlsext_ticket_key_evp_cb")]
    internal static partial int SslCtxSetTlsextTicketKeyEvpCb(SslContextHandle context, nint callback);
}
