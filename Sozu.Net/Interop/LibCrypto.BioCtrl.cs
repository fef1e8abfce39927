using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "BIO_ctrl")]
    internal static unsafe partial nint BioCtrl(nint bio, int command, nint larg, void* parg);
}
