using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.Buffers;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Proxying;
using Sozu.Net.Listeners;
using Sozu.Net.Loop;
using Sozu.Net.Metrics;
using Sozu.Net.Sessions;
using Sozu.Net.Sockets;
using Sozu.Net.Tcp;
using Sozu.Net.Tls;

namespace Sozu.Net.Worker;

/// <summary>
/// Everything one worker's loop owns: listeners, clusters, the buffer and backend pools, the
/// live sessions and the counters. Loop thread only; <see cref="ProxyWorker"/> is the face
/// other threads see.
/// </summary>
internal sealed partial class ProxyCore : IDisposable
{
    private readonly Dictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClusterRuntime> _clusters = new(StringComparer.Ordinal);
    private Session? _sessions;
    private TlsScratch? _tlsScratch;

    public ProxyCore(EventLoop loop, ProxyWorkerOptions options)
    {
        Loop = loop;
        Options = options;
        Buffers = new BufferPool(options.BufferSize, options.MaxBuffers);
        BackendPool = new BackendPool(loop, options.MaxIdleConnectionsPerBackend);
    }

    public EventLoop Loop { get; }

    public ProxyWorkerOptions Options { get; }

    public BufferPool Buffers { get; }

    public BackendPool BackendPool { get; }

    public TrafficCounters Global { get; } = new();

    /// <summary>One generator per loop: ids are unique without a random draw per request.</summary>
    public RequestIdGenerator RequestIds { get; } = new();

    public IAccessLog? AccessLog { get; set; }

    public int SessionCount { get; private set; }

    /// <summary>Soft stop under way: listeners closed, sessions finishing.</summary>
    public bool Draining { get; private set; }

    /// <summary>Set when draining and the last session closed.</summary>
    public Action? Drained { get; set; }

    public IReadOnlyDictionary<string, Listener> Listeners => _listeners;

    public IReadOnlyDictionary<string, ClusterRuntime> Clusters => _clusters;

    public ClusterRuntime? FindCluster(string clusterId) => _clusters.GetValueOrDefault(clusterId);

    public void CountAcceptFailure() => Global.ConnectionsRefused++;

    /// <summary>A connection was accepted on <paramref name="listener"/>: serve it, or refuse it at once.</summary>
    public void Accept(Listener listener, int fd, NativeAddress peer)
    {
        if (Draining || SessionCount >= Options.MaxConnections || Buffers.IsExhausted
            || (listener.Protocol == ListenerProtocol.Https && listener.Tls is null))
        {
            Refuse(listener, fd);
            return;
        }
        listener.Traffic.ConnectionsAccepted++;
        listener.Traffic.ActiveConnections++;
        Global.ConnectionsAccepted++;
        Global.ActiveConnections++;
        var session = new Session(this, listener, fd, peer);
        Link(session);
        SessionStage first = listener.Protocol switch
        {
            ListenerProtocol.Tcp => new TcpConnectStage(session),
            ListenerProtocol.Http => new Http1Stage(session),
            _ => new TlsHandshakeStage(session, listener.Tls!),
        };
        session.Start(first);
    }

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
        Unlink(session);
        session.Listener.Traffic.ActiveConnections--;
        Global.ActiveConnections--;
        if (Draining && SessionCount == 0)
        {
            Drained?.Invoke();
        }
    }

    /// <summary>Soft stop: stop accepting, let sessions finish; <see cref="Drained"/> fires when none is left.</summary>
    public void BeginDrain()
    {
        Draining = true;
        foreach (var listener in _listeners.Values)
        {
            listener.Deactivate();
        }
        for (var session = _sessions; session is not null;)
        {
            var next = session.Next;
            session.Drain();
            session = next;
        }
        if (SessionCount == 0)
        {
            Drained?.Invoke();
        }
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
            foreach (var backend in cluster.Backends)
            {
                BackendPool.CloseAllIdle(backend);
            }
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
        CloseAll();
        foreach (var listener in _listeners.Values)
        {
            listener.Tls?.Dispose();
        }
        _tlsScratch?.Dispose();
        Buffers.Dispose();
    }
}
