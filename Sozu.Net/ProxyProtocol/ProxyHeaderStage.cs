using Sozu.Net.Sessions;
using Sozu.Net.Sockets;
using Sozu.Net.Timers;
using Sozu.Net.Worker;

namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// The first stage of a session on a listener with <c>expect_proxy</c>: the connection's first
/// bytes must be a PROXY header (v1 or v2). The bytes are peeked (MSG_PEEK), never read past
/// the header: once it is complete exactly its length is consumed, and what follows (an HTTP
/// request, a TLS ClientHello, TCP payload) stays in the kernel for the next stage. Its source
/// becomes the session's client address (X-Forwarded-For, Forwarded, the access log, per-IP
/// limits, the header sent on to a backend). No valid header, a malformed one, or none within
/// the header timeout: the connection is closed, counted, never proxied.
/// <para>
/// The header timeout is one deadline from accept, never pushed back: the listener's
/// request_timeout (HTTP, HTTPS) or front_timeout (TCP), whichever is shorter for HTTP.
/// </para>
/// </summary>
internal sealed class ProxyHeaderStage : SessionStage
{
    /// <summary>
    /// The longest header accepted: v1 is at most 107 bytes; v2's TLVs make it 16 + length, and
    /// senders seen in the wild (HAProxy, AWS NLB, GCP) stay within a few hundred. A longer
    /// header is refused as too long. Peeked into the stack, so nothing is allocated per connection.
    /// </summary>
    internal const int MaxHeaderLength = 4096;

    private readonly ProxyHeaderCounters _counters;

    public ProxyHeaderStage(Session session, ProxyHeaderCounters counters)
        : base(session)
    {
        _counters = counters;
        session.ArmTimer(session.Core.Loop.NowMs + (HeaderTimeoutSeconds(session.Listener.Config) * 1000L), 0);
    }

    internal static int HeaderTimeoutSeconds(Messages.Config.ListenerConfig config) => config switch
    {
        Messages.Config.HttpListenerConfig http => Math.Min(http.RequestTimeout, http.FrontTimeout),
        Messages.Config.HttpsListenerConfig https => Math.Min(https.RequestTimeout, https.FrontTimeout),
        _ => config.FrontTimeout,
    };

    // The peek buffer is not zeroed: only the bytes the kernel wrote into it are parsed.
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public override unsafe StageResult Run()
    {
        var front = Session.Front;
        if (!front.IsRawReadable)
        {
            return StageResult.Wait;
        }
        var bytes = stackalloc byte[MaxHeaderLength];
        var status = NativeSocket.Peek(front.Fd, bytes, MaxHeaderLength, out var peeked);
        if (status == IoStatus.WouldBlock)
        {
            front.Readiness &= ~Loop.Readiness.Readable;
            return StageResult.Wait;
        }
        if (status != IoStatus.Done)
        {
            return Fail(status == IoStatus.Closed ? ProxyHeaderRefusalReason.ClosedEarly : ProxyHeaderRefusalReason.SocketError, ProxyHeaderError.None, 0);
        }
        var result = ProxyHeaderParser.Parse(new ReadOnlySpan<byte>(bytes, peeked));
        switch (result.Status)
        {
            case ProxyParseStatus.Invalid:
                return Fail(ProxyHeaderRefusalReason.Malformed, result.Error, peeked);
            case ProxyParseStatus.NeedMore:
                if (peeked == MaxHeaderLength || (front.Readiness & (Loop.Readiness.PeerClosed | Loop.Readiness.Error)) != 0)
                {
                    // Too long for us, or the client stopped sending before the end of it.
                    return Fail(peeked == MaxHeaderLength ? ProxyHeaderRefusalReason.TooLong : ProxyHeaderRefusalReason.ClosedEarly, ProxyHeaderError.None, peeked);
                }
                // Everything queued was peeked: the next bytes arrive with a new edge.
                front.Readiness &= ~Loop.Readiness.Readable;
                return StageResult.Wait;
        }
        // The header's bytes are queued already: one recv of exactly its length takes them and nothing after.
        if (front.ReceiveRaw(bytes, result.Length, out var consumed) != IoStatus.Done || consumed != result.Length)
        {
            return Fail(ProxyHeaderRefusalReason.SocketError, ProxyHeaderError.None, peeked);
        }
        front.BytesReceived += consumed;
        if (peeked > result.Length)
        {
            // The next protocol's bytes are still queued; ReceiveRaw saw a full read and left the flag set.
            front.Readiness |= Loop.Readiness.Readable;
        }
        var header = result.Header;
        if (header.HasAddresses)
        {
            Session.UseProxiedAddresses(header.Source, header.Destination);
        }
        _counters.Headers++;
        Session.CancelTimer();
        Next = ProxyCore.ProtocolStage(Session);
        return StageResult.Upgrade;
    }

    private StageResult Fail(ProxyHeaderRefusalReason reason, ProxyHeaderError error, int bytesSeen)
    {
        _counters.Failures++;
        Report(reason, error, bytesSeen);
        return StageResult.Close;
    }

    public override StageResult OnTimeout(TimerNode node, long nowMs)
    {
        _counters.Timeouts++;
        Session.Listener.Traffic.Timeouts++;
        Report(ProxyHeaderRefusalReason.Timeout, ProxyHeaderError.None, bytesSeen: -1);
        return StageResult.Close;
    }

    /// <summary>The debug line of a refusal, when someone listens at that level: nothing is built otherwise.</summary>
    private void Report(ProxyHeaderRefusalReason reason, ProxyHeaderError error, int bytesSeen)
    {
        var diagnostics = Session.Core.Diagnostics;
        if (diagnostics is { IsEnabled: true })
        {
            diagnostics.ProxyHeaderRefused(new ProxyHeaderRefusal(Session.Listener.Address, Session.Peer, reason, error, bytesSeen));
        }
    }

    /// <summary>Soft stop: nothing was proxied yet, nothing to finish.</summary>
    public override bool Drain() => true;

    /// <summary>Holds nothing: the header is peeked into the stack.</summary>
    public override void Release()
    {
    }
}
