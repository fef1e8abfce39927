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
                state.UnknownServerNames++;
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
