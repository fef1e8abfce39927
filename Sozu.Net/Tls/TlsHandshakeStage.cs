using Sozu.Net.Http1.Proxying;
using Sozu.Net.Sessions;
using Sozu.Net.Timers;

namespace Sozu.Net.Tls;

/// <summary>
/// The first stage of an HTTPS session: attaches a <see cref="TlsConnection"/> to the client
/// socket and drives the handshake on socket events; once done, the session upgrades to the
/// HTTP/1.1 stage, which reads and writes plaintext through the same socket. A handshake that
/// fails (garbage instead of a ClientHello, an unknown SNI name without default, a protocol
/// alert) or does not finish within the worker's TLS handshake timeout (or the listener's
/// front timeout, when shorter) closes the session and is counted.
/// </summary>
internal sealed class TlsHandshakeStage : SessionStage
{
    private readonly TlsListenerState _tls;

    public TlsHandshakeStage(Session session, TlsListenerState tls)
        : base(session)
    {
        _tls = tls;
        var connection = TlsConnection.Create(tls.ListenerContext, tls.Id, session.Core.TlsScratch);
        if (connection is not null)
        {
            session.Front.AttachTls(connection);
        }
        // One deadline from accept, never pushed back: a client trickling a byte now and then
        // still has to finish within it.
        var timeoutMs = Math.Min((long)session.Core.Options.TlsHandshakeTimeout.TotalMilliseconds, session.Listener.Config.FrontTimeout * 1000L);
        session.ArmTimer(session.Core.Loop.NowMs + timeoutMs, 0);
    }

    public override StageResult Run()
    {
        var front = Session.Front;
        if (front.Tls is not { } connection)
        {
            _tls.CountFailure(TlsFailureReason.None);
            return StageResult.Close;
        }
        _tls.Refusal = TlsFailureReason.None;
        switch (connection.Handshake(front))
        {
            case TlsStatus.Ok:
                _tls.CountHandshake(connection.Version);
                Next = new Http1Stage(Session);
                return StageResult.Upgrade;
            case TlsStatus.WantRead:
            case TlsStatus.WantWrite:
                return StageResult.Wait;
            default:
                // A callback's refusal says more than OpenSSL's "callback failed".
                _tls.CountFailure(_tls.Refusal != TlsFailureReason.None ? _tls.Refusal : connection.Failure);
                return StageResult.Close;
        }
    }

    public override StageResult OnTimeout(TimerNode node, long nowMs)
    {
        _tls.HandshakeTimeouts++;
        Session.Listener.Traffic.Timeouts++;
        return StageResult.Close;
    }

    /// <summary>Soft stop: a connection still shaking hands has no exchange to finish.</summary>
    public override bool Drain() => true;

    /// <summary>The TLS connection belongs to the socket (the next stage reads through it); nothing else is held.</summary>
    public override void Release()
    {
    }
}
