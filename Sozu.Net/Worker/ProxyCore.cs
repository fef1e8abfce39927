using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.Buffers;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Proxying;
using Sozu.Net.Limits;
using Sozu.Net.Listeners;
using Sozu.Net.Loop;
using Sozu.Net.Metrics;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Sessions;
using Sozu.Net.Sockets;
using Sozu.Net.Tcp;
using Sozu.Net.Timers;
using Sozu.Net.Tls;

namespace Sozu.Net.Worker;

/// <summary>
/// Everything one worker's loop owns: listeners, clusters, the buffer and backend pools, the
/// live sessions and the counters. Loop thread only; <see cref="ProxyWorker"/> is the face
/// other threads see.
/// </summary>
internal sealed partial class ProxyCore : IDisposable, ITimerTarget
{
    /// <summary>How long surplus free buffers keep their pages before being trimmed.</summary>
    private const int TrimDelayMs = 1000;

    private readonly Dictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClusterRuntime> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _detachedListenerFds = new(StringComparer.Ordinal);

    /// <summary>Shared listening sockets fetched from the supervisor, by listener key: kept for a re-activation.</summary>
    private readonly Dictionary<string, int> _fetchedListenerFds = new(StringComparer.Ordinal);
    private Session? _sessions;
    private TlsScratch? _tlsScratch;

    public ProxyCore(EventLoop loop, ProxyWorkerOptions options)
    {
        Loop = loop;
        Options = options;
        Buffers = new BufferPool(options.BufferSize, options.MaxBuffers);
        BufferHighWatermark = HighWatermarkOf(options.MaxBuffers);
        Events = new WorkerEvents(options.WorkerId);
        BackendPool = new BackendPool(loop, options.MaxIdleConnectionsPerBackend, Events);
        _trimTimer = new TimerNode(this);
        _drainDeadline = new TimerNode(this);
    }

    private readonly TimerNode _trimTimer;

    /// <summary>Armed by a soft stop: past it, the sessions still open are closed.</summary>
    private readonly TimerNode _drainDeadline;

    public EventLoop Loop { get; }

    public ProxyWorkerOptions Options { get; }

    public BufferPool Buffers { get; }

    /// <summary>The session-ticket keys every HTTPS listener of this worker seals and opens tickets with.</summary>
    public TicketKeyring TicketKeys { get; } = new();

    public BackendPool BackendPool { get; }

    /// <summary>Connections waiting for the rest of a request head, oldest first, counted per IP.</summary>
    public IncompleteHeads IncompleteHeads { get; } = new();

    /// <summary>The bytes of those heads, so they hold no pool buffer while they wait.</summary>
    public HeadStash HeadStash { get; } = new();

    /// <summary>Buffers in use from which the pool counts as running low (<see cref="RelieveBufferPressure"/>).</summary>
    public int BufferHighWatermark { get; }

    /// <summary>Backend health and drain transitions, raised to the worker's event sink.</summary>
    public WorkerEvents Events { get; }

    public TrafficCounters Global { get; } = new();

    /// <summary>One generator per loop: ids are unique without a random draw per request.</summary>
    public RequestIdGenerator RequestIds { get; } = new();

    public IAccessLog? AccessLog { get; set; }

    /// <summary>Per-connection refusals worth a debug line (see <see cref="IConnectionDiagnostics"/>).</summary>
    public IConnectionDiagnostics? Diagnostics { get; set; }

    public int SessionCount { get; private set; }

    /// <summary>Soft stop under way: listeners closed, sessions finishing.</summary>
    public bool Draining { get; private set; }

    /// <summary>Set when draining and the last session closed.</summary>
    public Action? Drained { get; set; }

    /// <summary>Sessions still open at the soft stop's deadline, closed then (0 when every one finished).</summary>
    public int SessionsCutAtDeadline { get; private set; }

    /// <summary>Connections taken from the accept queues when the soft stop began, served like any other.</summary>
    public int AcceptedWhileStopping { get; private set; }

    public IReadOnlyDictionary<string, Listener> Listeners => _listeners;

    public IReadOnlyDictionary<string, ClusterRuntime> Clusters => _clusters;

    /// <summary>Listening sockets deactivated with to_scm, by address; the caller now owns them.</summary>
    public IReadOnlyDictionary<string, int> TakeDetachedListenerFds()
    {
        var taken = new Dictionary<string, int>(_detachedListenerFds, StringComparer.Ordinal);
        _detachedListenerFds.Clear();
        return taken;
    }

    public ClusterRuntime? FindCluster(string clusterId) => _clusters.GetValueOrDefault(clusterId);

    public void CountAcceptFailure() => Global.ConnectionsRefused++;

    /// <summary>A connection was accepted on <paramref name="listener"/>: serve it, or refuse it at once.</summary>
    public void Accept(Listener listener, int fd, NativeAddress peer)
    {
        if (Buffers.InUse >= BufferHighWatermark)
        {
            RelieveBufferPressure(null);
        }
        if (Draining || SessionCount >= Options.MaxConnections || Buffers.IsExhausted
            || (listener.Protocol == ListenerProtocol.Https && listener.Tls is null))
        {
            Refuse(listener, fd);
            return;
        }
        ScheduleTrim();
        listener.Traffic.ConnectionsAccepted++;
        listener.Traffic.ActiveConnections++;
        Global.ConnectionsAccepted++;
        Global.ActiveConnections++;
        var session = new Session(this, listener, fd, peer);
        Link(session);
        session.Start(listener.ProxyHeaders is { } counters ? new ProxyHeaderStage(session, counters) : ProtocolStage(session));
    }

    /// <summary>The listener protocol's first stage (after the PROXY header, when the listener expects one).</summary>
    public static SessionStage ProtocolStage(Session session) => session.Listener.Protocol switch
    {
        ListenerProtocol.Tcp => new TcpConnectStage(session),
        ListenerProtocol.Http => new Http1Stage(session),
        _ => new TlsHandshakeStage(session, session.Listener.Tls!),
    };

    /// <summary>Ciphertext in transit for every TLS connection of this loop, allocated with the first one.</summary>
    public TlsScratch TlsScratch => _tlsScratch ??= new TlsScratch();

    private void Refuse(Listener listener, int fd)
    {
        listener.Traffic.ConnectionsRefused++;
        Global.ConnectionsRefused++;
        // An HTTPS client expects a ServerHello, not a plaintext 503: it just sees the close.
        if (listener.Protocol == ListenerProtocol.Http && listener.Http is { } http)
        {
            // The socket's send buffer is empty: one send of a few hundred bytes cannot block.
            Span<byte> answer = stackalloc byte[2048];
            var length = http.Answers.Write(503, answer, new AnswerContext(default));
            if (length > 0)
            {
                NativeSocket.SendBestEffort(fd, answer[..length]);
            }
        }
        NativeSocket.Close(fd);
    }

    public void OnSessionClosed(Session session)
    {
        ScheduleTrim();
        Unlink(session);
        session.Listener.Traffic.ActiveConnections--;
        Global.ActiveConnections--;
        if (Draining && SessionCount == 0)
        {
            Loop.Timers.Cancel(_drainDeadline);
            Drained?.Invoke();
        }
    }

    /// <summary>
    /// Soft stop: stop accepting, let sessions finish; <see cref="Drained"/> fires when none is
    /// left, or at <paramref name="deadlineMs"/> (loop time), when the rest is closed.
    /// What already waits in an accept queue is accepted first, once, and served: a connection
    /// the kernel completed before the stop belongs to a client that started before it. When
    /// <paramref name="refuseNew"/> (the whole product stops), each listening socket is then shut
    /// for reading, which stops it listening for every process holding it (the supervisor, the
    /// other workers): a new connection is refused at once instead of waiting in a queue no one
    /// will accept from. Otherwise the shared queue stays with the other workers.
    /// </summary>
    public void BeginDrain(long deadlineMs, bool refuseNew)
    {
        if (Draining)
        {
            return;
        }
        foreach (var listener in _listeners.Values)
        {
            if (listener.Active)
            {
                var before = Global.ConnectionsAccepted;
                listener.AcceptQueued();
                AcceptedWhileStopping += (int)(Global.ConnectionsAccepted - before);
                if (refuseNew)
                {
                    NativeSocket.ShutdownListening(listener.Fd);
                }
            }
            listener.Deactivate();
        }
        Draining = true;
        for (var session = _sessions; session is not null;)
        {
            var next = session.Next;
            session.Drain();
            session = next;
        }
        if (SessionCount == 0)
        {
            Drained?.Invoke();
            return;
        }
        Loop.Timers.Schedule(_drainDeadline, deadlineMs);
    }

    /// <summary>Hard stop: every session closed now.</summary>
    public void CloseAll()
    {
        foreach (var listener in _listeners.Values)
        {
            listener.Deactivate();
        }
        while (_sessions is not null)
        {
            _sessions.Close();
        }
        foreach (var cluster in _clusters.Values)
        {
            cluster.HealthChecker?.Stop();
            foreach (var backend in cluster.Backends)
            {
                BackendPool.CloseAllIdle(backend);
            }
        }
    }

    /// <summary>
    /// The pool runs low: closes the oldest incomplete heads (408) other than
    /// <paramref name="except"/> until buffers in use are back under the high watermark, at
    /// most <see cref="EvictionsPerCall"/> per call so one lease never stalls the loop.
    /// Idle keep-alive connections hold no buffer, so closing them would give none back.
    /// </summary>
    public void RelieveBufferPressure(IncompleteHeadNode? except)
    {
        for (var i = 0; i < EvictionsPerCall && Buffers.InUse >= BufferHighWatermark; i++)
        {
            if (!IncompleteHeads.EvictOldest(except))
            {
                return;
            }
        }
    }

    /// <summary>Evictions per lease at most; the next lease over the watermark evicts more.</summary>
    private const int EvictionsPerCall = 16;

    /// <summary>
    /// 90 % of the pool (at least one buffer kept free): the last tenth is kept for complete
    /// requests, a 100 free buffers with the default 1,000.
    /// </summary>
    internal static int HighWatermarkOf(int maxBuffers) => Math.Max(1, maxBuffers - Math.Max(1, maxBuffers / 10));

    /// <summary>Checked per connection (an int compare): a burst's surplus buffers are trimmed a second later.</summary>
    private void ScheduleTrim()
    {
        if (Buffers.HasSurplus && !_trimTimer.IsArmed)
        {
            Loop.Timers.Schedule(_trimTimer, Loop.NowMs + TrimDelayMs);
        }
    }

    public void OnTimeout(TimerNode node, long nowMs)
    {
        if (ReferenceEquals(node, _drainDeadline))
        {
            // The deadline of the soft stop: what is left is cut; the last close fires Drained.
            SessionsCutAtDeadline = SessionCount;
            while (_sessions is not null)
            {
                _sessions.Close();
            }
            return;
        }
        Buffers.Trim();
        // Leased buffers come back later without any connection event: look again while some are out.
        if (Buffers.HasSurplus || Buffers.InUse > 0)
        {
            Loop.Timers.Schedule(_trimTimer, nowMs + TrimDelayMs);
        }
    }

    internal void LogAccess(in AccessLogEntry entry)
    {
        var log = AccessLog;
        if (log is not null && log.Enabled)
        {
            log.Log(entry);
        }
    }

    private void Link(Session session)
    {
        session.Next = _sessions;
        if (_sessions is not null)
        {
            _sessions.Previous = session;
        }
        _sessions = session;
        SessionCount++;
    }

    private void Unlink(Session session)
    {
        if (session.Previous is null)
        {
            _sessions = session.Next;
        }
        else
        {
            session.Previous.Next = session.Next;
        }
        if (session.Next is not null)
        {
            session.Next.Previous = session.Previous;
        }
        session.Previous = session.Next = null;
        SessionCount--;
    }

    public void Dispose()
    {
        Loop.Timers.Cancel(_trimTimer);
        Loop.Timers.Cancel(_drainDeadline);
        CloseAll();
        foreach (var listener in _listeners.Values)
        {
            listener.Tls?.Dispose();
        }
        _tlsScratch?.Dispose();
        TicketKeys.Dispose();
        Buffers.Dispose();
        foreach (var fd in _fetchedListenerFds.Values)
        {
            Sockets.NativeSocket.Close(fd);
        }
        _fetchedListenerFds.Clear();
    }
}
