namespace Sozu.Net.Tls;

/// <summary>
/// Maps OpenSSL's packed error code (include/openssl/err.h, sslerr.h of OpenSSL 3) to a
/// <see cref="TlsFailureReason"/>: integer arithmetic only, so it runs on the loop thread's
/// failure path without reading the error text.
/// </summary>
internal static class TlsFailureClassifier
{
    private const ulong SystemErrorFlag = 0x8000_0000UL;
    private const int LibraryShift = 23;
    private const ulong LibraryMask = 0xFF;
    private const ulong ReasonMask = 0x7F_FFFF;
    private const ulong SslLibrary = 20;

    /// <summary>SSL_AD_REASON_OFFSET: a fatal alert received from the peer is reported as 1000 + its alert code.</summary>
    private const ulong ReceivedAlertBase = 1000;

    private const ulong NoSuitableKeyShare = 101;
    private const ulong VersionTooHigh = 166;
    private const ulong NoCiphersAvailable = 181;
    private const ulong NoProtocolsAvailable = 191;
    private const ulong NoSharedCipher = 193;
    private const ulong UnsupportedProtocol = 258;
    private const ulong UnexpectedEofWhileReading = 294;
    private const ulong InappropriateFallback = 373;
    private const ulong NoSharedSignatureAlgorithms = 376;
    private const ulong VersionTooLow = 396;
    private const ulong NoSharedGroups = 410;

    public static TlsFailureReason Classify(ulong code)
    {
        if (code == 0)
        {
            // An empty queue with SSL_ERROR_SSL is not expected; the input is the likeliest culprit.
            return TlsFailureReason.BadClientHello;
        }
        if ((code & SystemErrorFlag) != 0)
        {
            return TlsFailureReason.PeerClosed;
        }
        if (((code >> LibraryShift) & LibraryMask) != SslLibrary)
        {
            return TlsFailureReason.BadClientHello;
        }
        var reason = code & ReasonMask;
        if (reason >= ReceivedAlertBase && reason < ReceivedAlertBase + 256)
        {
            return TlsFailureReason.PeerAlert;
        }
        return reason switch
        {
            NoSuitableKeyShare or VersionTooHigh or NoCiphersAvailable or NoProtocolsAvailable or NoSharedCipher
                or UnsupportedProtocol or InappropriateFallback or NoSharedSignatureAlgorithms or VersionTooLow
                or NoSharedGroups => TlsFailureReason.NoSharedCipherOrVersion,
            UnexpectedEofWhileReading => TlsFailureReason.PeerClosed,
            _ => TlsFailureReason.BadClientHello,
        };
    }
}
