using Sozu.Net.Timers;

namespace Sozu.Net.Sessions;

/// <summary>
/// One protocol phase of a session (TCP connect, byte pipe, HTTP/1.1, later TLS handshake).
/// A stage owns what it leased (buffers, backend connections) and gives them back in
/// <see cref="Release"/> unless it handed them to its <see cref="Next"/>.
/// </summary>
internal abstract class SessionStage(Session session)
{
    protected Session Session { get; } = session;

    /// <summary>The stage to continue with after <see cref="StageResult.Upgrade"/>.</summary>
    public SessionStage? Next { get; protected set; }

    /// <summary>Makes progress on the session's sockets until blocked.</summary>
    public abstract StageResult Run();

    /// <summary>The session's timer fired.</summary>
    public abstract StageResult OnTimeout(TimerNode node, long nowMs);

    /// <summary>Soft stop: finish what is under way, accept nothing new. True when the session can close now.</summary>
    public virtual bool Drain() => false;

    /// <summary>Returns every buffer and backend connection the stage still holds.</summary>
    public abstract void Release();
}
