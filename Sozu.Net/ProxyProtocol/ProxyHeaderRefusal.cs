using Sozu.Net.Sockets;

namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// A connection closed on an <c>expect_proxy</c> listener before anything was proxied, and why:
/// what <see cref="Worker.IConnectionDiagnostics"/> is told, by value (nothing allocated unless
/// it is formatted).
/// </summary>
public readonly struct ProxyHeaderRefusal(NativeAddress listener, NativeAddress client, ProxyHeaderRefusalReason reason, ProxyHeaderError error, int bytesSeen)
{
    /// <summary>The listener's bound address.</summary>
    public NativeAddress Listener { get; } = listener;

    /// <summary>The socket's peer: no header was accepted, so this is the real TCP client (a load balancer, usually).</summary>
    public NativeAddress Client { get; } = client;

    public ProxyHeaderRefusalReason Reason { get; } = reason;

    /// <summary>What the parser found wrong; <see cref="ProxyHeaderError.None"/> unless <see cref="Reason"/> is Malformed.</summary>
    public ProxyHeaderError Error { get; } = error;

    /// <summary>Bytes the client had sent when it was refused (peeked, never consumed); -1 at a timeout, where nothing was peeked last.</summary>
    public int BytesSeen { get; } = bytesSeen;

    /// <summary>"malformed (BadSignature)", "timeout", ... : the reason as a log line says it.</summary>
    public string Describe() => Reason switch
    {
        ProxyHeaderRefusalReason.Malformed => $"malformed PROXY header ({Error})",
        ProxyHeaderRefusalReason.TooLong => $"PROXY header longer than {ProxyHeaderStage.MaxHeaderLength} bytes",
        ProxyHeaderRefusalReason.ClosedEarly => "the client closed before the end of the PROXY header",
        ProxyHeaderRefusalReason.Timeout => "no complete PROXY header within the header timeout",
        _ => "socket error while reading the PROXY header",
    };

    public override string ToString() => BytesSeen < 0
        ? $"listener {Listener}: connection from {Client} refused: {Describe()}"
        : $"listener {Listener}: connection from {Client} refused: {Describe()} after {BytesSeen} bytes";
}
