using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>
/// The functions OpenSSL calls back during a handshake, on the loop thread, inside
/// SSL_do_handshake. They must never throw (an exception cannot cross native frames): each
/// catches everything and fails the handshake instead. Their argument is the listener's
/// registry id, so a listener removed mid-handshake is simply not found.
/// </summary>
internal static unsafe class TlsCallbacks
{
    /// <summary>SNI: switch the connection to the certificate's context, or refuse with unrecognized_name.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnServerName(nint ssl, int* alert, nint arg)
    {
        try
        {
            var state = TlsListenerState.Find(arg);
            if (state is null)
            {
                *alert = LibSsl.AlertInternalError;
                return LibSsl.ExtensionAlertFatal;
            }
            var name = LibSsl.SslGetServername(ssl, LibSsl.NameTypeHostName);
            var span = name == null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            var context = state.Resolve(span, out _);
            if (context == 0)
            {
                state.Refusal = TlsFailureReason.UnknownServerName;
                *alert = LibSsl.AlertUnrecognizedName;
                return LibSsl.ExtensionAlertFatal;
            }
            return LibSsl.SslSetSslCtx(ssl, context) == 0 ? LibSsl.ExtensionAlertFatal : LibSsl.ExtensionOk;
        }
#pragma warning disable CA1031 // Nothing may escape into OpenSSL's stack; the handshake fails instead.
        catch
#pragma warning restore CA1031
        {
            *alert = LibSsl.AlertInternalError;
            return LibSsl.ExtensionAlertFatal;
        }
    }

    /// <summary>
    /// ClientHello, before the version is chosen: a certificate that allows fewer versions than
    /// its listener narrows this connection's versions, so a TLS 1.3-only certificate refuses a
    /// 1.2 ClientHello for its names (protocol_version alert) while the listener's other names
    /// still speak 1.2. The certificate is found exactly as the SNI callback will find it (same
    /// state, same name, same thread); the SNI callback then switches the context.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnClientHello(nint ssl, int* alert, nint arg)
    {
        try
        {
            var state = TlsListenerState.Find(arg);
            if (state is null)
            {
                *alert = LibSsl.AlertInternalError;
                return LibSsl.ClientHelloError;
            }
            var certificate = state.ResolveCertificate(ServerName(ssl), out _);
            if (certificate is null || certificate.Versions == TlsVersionRange.All)
            {
                // No certificate: the SNI callback refuses the name. No restriction: the listener's versions stand.
                return LibSsl.ClientHelloSuccess;
            }
            var versions = state.Options.Versions.Intersect(certificate.Versions);
            if (versions.IsEmpty)
            {
                state.Refusal = TlsFailureReason.NoSharedCipherOrVersion;
                *alert = LibSsl.AlertProtocolVersion;
                return LibSsl.ClientHelloError;
            }
            LibSsl.SslCtrl(ssl, LibSsl.CtrlSetMinProtoVersion, versions.Min, null);
            LibSsl.SslCtrl(ssl, LibSsl.CtrlSetMaxProtoVersion, versions.Max, null);
            return LibSsl.ClientHelloSuccess;
        }
#pragma warning disable CA1031 // Nothing may escape into OpenSSL's stack; the handshake fails instead.
        catch
#pragma warning restore CA1031
        {
            *alert = LibSsl.AlertInternalError;
            return LibSsl.ClientHelloError;
        }
    }

    /// <summary>
    /// Session tickets: seal (<paramref name="encrypt"/> = 1) with the worker's current key, or
    /// open with the key the ticket names. The listener comes from the connection's ex data
    /// (this callback has no argument of its own). Nothing here fails a handshake: a missing
    /// listener or key means no ticket, or a full handshake.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnTicketKey(nint ssl, byte* keyName, byte* iv, nint cipherContext, nint macContext, int encrypt)
    {
        try
        {
            var state = TlsListenerState.Find(LibSsl.SslGetExData(ssl, TlsConnection.ListenerIdIndex));
            if (state is null)
            {
                return 0;
            }
            return encrypt != 0
                ? state.TicketKeys.Seal(keyName, iv, cipherContext, macContext)
                : state.TicketKeys.Open(keyName, iv, cipherContext, macContext);
        }
#pragma warning disable CA1031 // Nothing may escape into OpenSSL's stack; no ticket (or a full handshake) instead.
        catch
#pragma warning restore CA1031
        {
            return 0;
        }
    }

    /// <summary>
    /// The host_name of the ClientHello's server_name extension (RFC 6066 §3), empty when there
    /// is none or it is malformed (OpenSSL itself rejects a malformed one right after).
    /// </summary>
    private static ReadOnlySpan<byte> ServerName(nint ssl)
    {
        byte* data;
        nuint length;
        if (LibSsl.SslClientHelloGet0Ext(ssl, LibSsl.ExtensionTypeServerName, &data, &length) != 1 || length > ushort.MaxValue)
        {
            return default;
        }
        var extension = new ReadOnlySpan<byte>(data, (int)length);
        // ServerNameList: u16 length, then entries of u8 type, u16 length, name.
        if (extension.Length < 5 || ((extension[0] << 8) | extension[1]) != extension.Length - 2 || extension[2] != LibSsl.NameTypeHostName)
        {
            return default;
        }
        var nameLength = (extension[3] << 8) | extension[4];
        return nameLength <= extension.Length - 5 ? extension.Slice(5, nameLength) : default;
    }

    /// <summary>ALPN: the first of the listener's protocols the client offers; none agreed means no ALPN, not a failure.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnAlpn(nint ssl, byte** selected, byte* selectedLength, byte* offered, uint offeredLength, nint arg)
    {
        try
        {
            var state = TlsListenerState.Find(arg);
            if (state is null || state.AlpnLength == 0)
            {
                return LibSsl.ExtensionNoAck;
            }
            return LibSsl.SslSelectNextProto(selected, selectedLength, state.AlpnPointer, (uint)state.AlpnLength, offered, offeredLength)
                == LibSsl.NextProtoNegotiated
                ? LibSsl.ExtensionOk
                : LibSsl.ExtensionNoAck;
        }
#pragma warning disable CA1031 // Nothing may escape into OpenSSL's stack.
        catch
#pragma warning restore CA1031
        {
            return LibSsl.ExtensionNoAck;
        }
    }
}
