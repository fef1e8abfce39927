namespace Sozu.Net.Interop;

/// <summary>The libcrypto 3 calls of the TLS stage (memory BIOs, PEM, the error queue), one per file.</summary>
internal static partial class LibCrypto
{
    internal const string Name = "libcrypto.so.3";

    internal const int BioCtrlInfo = 3;
    internal const int BioCtrlPending = 10;
    internal const int BioCSetBufMem = 114;
    internal const int BioCGetBufMemPtr = 115;
    internal const int BioClose = 1;
}
