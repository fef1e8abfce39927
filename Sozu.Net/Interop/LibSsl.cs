namespace Sozu.Net.Interop;

/// <summary>
/// The libssl 3 calls of the TLS stage, one declaration per file (LibSsl.*.cs). Several
/// documented "functions" are macros over <c>SSL_CTX_ctrl</c> with no exported symbol; their
/// command numbers are below (values of OpenSSL 3.0's ssl.h, stable across 3.x).
/// Only Sozu.Net/Tls calls these; nothing outside it sees a raw pointer.
/// </summary>
internal static partial class LibSsl
{
    internal const string Name = "libssl.so.3";

    internal const int ErrorNone = 0;
    internal const int ErrorSsl = 1;
    internal const int ErrorWantRead = 2;
    internal const int ErrorWantWrite = 3;
    internal const int ErrorSyscall = 5;
    internal const int ErrorZeroReturn = 6;

    internal const int CtrlMode = 33;
    internal const int CtrlSetSessionCacheMode = 44;
    internal const int CtrlSetServerNameCallback = 53;
    internal const int CtrlSetServerNameArg = 54;
    internal const int CtrlChainCertificate = 89;
    internal const int CtrlSetMinProtoVersion = 123;
    internal const int CtrlSetMaxProtoVersion = 124;

    internal const nint ModeReleaseBuffers = 0x10;
    internal const nint SessionCacheOff = 0;

    internal const ulong OptionNoCompression = 1UL << 17;
    internal const ulong OptionCipherServerPreference = 1UL << 22;
    internal const ulong OptionNoRenegotiation = 1UL << 30;

    internal const int Tls12Version = 0x0303;
    internal const int Tls13Version = 0x0304;

    internal const int NameTypeHostName = 0;
    internal const int ExtensionOk = 0;
    internal const int ExtensionAlertFatal = 2;
    internal const int ExtensionNoAck = 3;
    internal const int AlertUnrecognizedName = 112;
    internal const int AlertInternalError = 80;
    internal const int AlertProtocolVersion = 70;
    internal const int ClientHelloSuccess = 1;
    internal const int ClientHelloError = 0;
    internal const uint ExtensionTypeServerName = 0;
    internal const int NextProtoNegotiated = 1;
}
