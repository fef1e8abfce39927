using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    /// <summary>params: an OSSL_PARAM array ended by an entry whose key is null (see <see cref="OsslParam"/>).</summary>
    [LibraryImport(Name, EntryPoint = "EVP_MAC_CTX_set_params")]
    internal static unsafe partial int EvpMacCtxSetParams(nint context, OsslParam* parameters);
}
