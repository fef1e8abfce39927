using Sozu.Net.Backends;
using Sozu.Net.Limits;
using Sozu.Net.Listeners;
using Sozu.Net.Sockets;
using Sozu.Net.Timers;
using Sozu.Net.Worker;

namespace Sozu.Net.Sessions;

/// <summary>
/// A client connection and the chain of protocol stages that serve it. The session owns the
/// client socket and one timer; the current stage owns everything else. Loop thread only.
/// </summary>
internal sealed class Session : ISocketOwner, ITimerTarget
{
    private SessionStage? _stage;
    private bool _running;
    private bool _rerun;

    // The cluster whose per-IP count includes this connection, if any.
    private ClusterRuntime? _countedIn;

    // Client bytes already added to the counters (see CountClientBytes).
    private long _bytesReceivedCounted;
    private long _bytesSentCounted;

    public Session(ProxyCore core, Listener listener, int fd, NativeAddress peer)
    {
        Core = core;
        Listener = listener;
        Peer = peer;
        AcceptedMs = core.Loop.NowMs;
        Timer = new TimerNode(this);
        Front.Open(core.Loop, fd, this);
    }

    public ProxyCore Core { get; }

    public Listener Listener { get; }

    public SocketEndpoint Front { get; } = new();

    /// <summary>
    /// The client's address: the socket's peer, or the source a PROXY header gave (then the
    /// socket's peer is the balancer in front). Everything keyed on the client uses it.
    /// </summary>
    public NativeAddress Peer { get; private set; }

    /// <summary>The address the client connected to, as a PROXY header gave it; empty when none did.</summary>
    public NativeAddress ProxiedDestination { get; private set; }

    /// <summary>A PROXY header was received: its addresses replace the socket's (before any cluster counted this connection).</summary>
    public void UseProxiedAddresses(in NativeAddress source, in NativeAddress destination)
    {
        Peer = source;
        ProxiedDestination = destination;
    }

    /// <summary>
    /// Writes the v2 PROXY header a backend of a send_proxy cluster receives first: the client's
    /// address, and the one it connected to (the received header's, else this socket's own).
    /// </summary>
    public int WriteProxyHeader(Span<byte> destination)
    {
        var target = ProxiedDestination.IsEmpty ? NativeSocket.LocalAddress(Front.Fd) : ProxiedDestination;
        return ProxyProtocol.ProxyHeaderWriter.WriteV2(destination, Peer, target);
    }

    public long AcceptedMs { get; }

    /// <summary>The one timeout of the session; the current stage decides what it means.</summary>
    public TimerNode Timer { get; }

    public bool Closed { get; private set; }

    /// <summary>Links in the worker's list of live sessions (for soft and hard stop).</summary>
    internal Session? Previous { get; set; }

    internal Session? Next { get; set; }

    public void Start(SessionStage first)
    {
        _stage = first;
        Run();
    }

    public void ArmTimer(long deadlineMs, int kind)
    {
        Timer.Kind = kind;
        Core.Loop.Timers.Schedule(Timer, deadlineMs);
    }

    public void CancelTimer() => Core.Loop.Timers.Cancel(Timer);

    /// <summary>
    /// Counts this connection against <paramref name="cluster"/>'s per-IP cap (moving it from
    /// the cluster it counted in before); false, counting the refusal, when its IP is at the cap.
    /// </summary>
    public bool TryEnterCluster(ClusterRuntime cluster)
    {
        if (ReferenceEquals(_countedIn, cluster))
        {
            return true;
        }
        LeaveCluster();
        var limit = cluster.ConnectionsPerIpLimit(Core.Options.MaxConnectionsPerIp);
        if (limit <= 0)
        {
            return true;
        }
        if (!cluster.ConnectionsPerIp.TryAcquire(ClientIp.Of(Peer), limit))
        {
            cluster.Traffic.OverIpLimit++;
            Listener.Traffic.OverIpLimit++;
            Core.Global.OverIpLimit++;
            return false;
        }
        _countedIn = cluster;
        return true;
    }

    private void LeaveCluster()
    {
        if (_countedIn is not null)
        {
            _countedIn.ConnectionsPerIp.Release(ClientIp.Of(Peer));
            _countedIn = null;
        }
    }

    /// <summary>
    /// Adds the client bytes moved since the previous call to the listener's, the proxy's and
    /// <paramref name="cluster"/>'s counters. Stages call it when an exchange ends and the
    /// session once more when it closes, so every byte is counted exactly once, whatever the
    /// stage chain. A pipelined request read during the previous exchange counts with that one.
    /// </summary>
    public void CountClientBytes(ClusterRuntime? cluster)
    {
        var bytesIn = Front.BytesReceived - _bytesReceivedCounted;
        var bytesOut = Front.BytesSent - _bytesSentCounted;
        if ((bytesIn | bytesOut) == 0)
        {
            return;
        }
        _bytesReceivedCounted = Front.BytesReceived;
        _bytesSentCounted = Front.BytesSent;
        Listener.Traffic.BytesIn += bytesIn;
        Listener.Traffic.BytesOut += bytesOut;
        Core.Global.BytesIn += bytesIn;
        Core.Global.BytesOut += bytesOut;
        if (cluster is not null)
        {
            cluster.Traffic.BytesIn += bytesIn;
            cluster.Traffic.BytesOut += bytesOut;
        }
    }

    public void OnSocketReady(SocketEndpoint socket) => Run();

    public void OnTimeout(TimerNode node, long nowMs)
    {
        if (Closed || _stage is null)
        {
            return;
        }
        Handle(_stage.OnTimeout(node, nowMs));
    }

    /// <summary>Soft stop: the stage finishes its exchange, and the session closes when idle.</summary>
    public void Drain()
    {
        if (Closed || _stage is null)
        {
            return;
        }
        if (_stage.Drain())
        {
            Close();
            return;
        }
        // The stage may have changed phase (an idle keep-alive connection now lingers): bytes
        // already readable bring no new edge, so it runs once now.
        Run();
    }

    private void Run()
    {
        // A stage may trigger events for its own sockets while running; run again instead of recursing.
        if (_running)
        {
            _rerun = true;
            return;
        }
        _running = true;
        try
        {
            do
            {
                _rerun = false;
                if (Closed || _stage is null)
                {
                    return;
                }
                Handle(_stage.Run());
            }
            while (_rerun);
        }
        finally
        {
            _running = false;
        }
    }

    private void Handle(StageResult result)
    {
        while (!Closed)
        {
            switch (result)
            {
                case StageResult.Wait:
                    return;
                case StageResult.Close:
                    Close();
                    return;
                case StageResult.Upgrade:
                    _stage = _stage!.Next ?? throw new InvalidOperationException("stage upgraded without a next stage");
                    result = _stage.Run();
                    break;
            }
        }
    }

    /// <summary>Releases the stage's resources and the client socket. Idempotent.</summary>
    public void Close()
    {
        if (Closed)
        {
            return;
        }
        Closed = true;
        _stage?.Release();
        _stage = null;
        CountClientBytes(null);
        LeaveCluster();
        CancelTimer();
        Front.Close();
        Core.OnSessionClosed(this);
    }
}
