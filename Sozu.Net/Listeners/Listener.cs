using Sozu.Messages.Config;
using Sozu.Net.Interop;
using Sozu.Net.Loop;
using Sozu.Net.Metrics;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Sockets;
using Sozu.Net.Timers;
using Sozu.Net.Tls;
using Sozu.Net.Worker;

namespace Sozu.Net.Listeners;

/// <summary>
/// A listening socket and what its sessions need. Either inherited (the supervisor's shared
/// socket: one accept queue for every worker, which outlives any of them) or bound here
/// (SO_REUSEPORT, so every worker binds the same address and the kernel spreads connections): its configuration, its answers and, for
/// TCP, the cluster its frontend names. Added inactive; activation binds or adopts the socket.
/// </summary>
internal sealed class Listener : IReadyHandler, ITimerTarget
{
    /// <summary>
    /// How long an accept that failed for want of descriptors or memory waits before it is tried
    /// again: the listener is edge-triggered, so without a retry the connections already queued
    /// would wait for the next one to arrive (HAProxy pauses and retries its listener likewise).
    /// </summary>
    internal const int AcceptRetryDelayMs = 100;

    private readonly ProxyCore _core;
    private readonly TimerNode _acceptRetry;
    private ulong _token;

    public Listener(ProxyCore core, ListenerConfig config, NativeAddress address)
    {
        _core = core;
        Config = config;
        Address = address;
        Key = address.ToString();
        _acceptRetry = new TimerNode(this);
    }

    /// <summary>Accepts that failed with EMFILE, ENFILE, ENOBUFS or ENOMEM (each one retried after <see cref="AcceptRetryDelayMs"/>).</summary>
    public long AcceptsOutOfResources { get; private set; }

    public ListenerConfig Config { get; private set; }

    public NativeAddress Address { get; }

    /// <summary>The normalized "ip:port" the listener is found by.</summary>
    public string Key { get; }

    public ListenerProtocol Protocol => Config.Protocol;

    public int Fd { get; private set; } = -1;

    public bool Active { get; private set; }

    public TrafficCounters Traffic { get; } = new();

    /// <summary>TCP listeners: the cluster of their frontend, null when none is bound.</summary>
    public string? TcpClusterId { get; set; }

    /// <summary>HTTP and HTTPS listeners: their routes and answers (null for TCP).</summary>
    public HttpListenerState? Http { get; set; }

    /// <summary>HTTPS listeners: TLS settings and certificates (null for HTTP and TCP).</summary>
    public TlsListenerState? Tls { get; set; }

    public void Update(ListenerConfig config) => Config = config;

    private ProxyHeaderCounters? _proxyHeaders;

    /// <summary>
    /// Whether each connection must start with a PROXY header: the listener's expect_proxy, or,
    /// as in Sōzu, a TCP listener whose cluster expects or relays the header.
    /// </summary>
    public bool ExpectsProxyHeader =>
        Config.ExpectProxy
        || (Protocol == ListenerProtocol.Tcp && TcpClusterId is { } clusterId
            && _core.FindCluster(clusterId)?.Config.ProxyProtocol is ProxyProtocolConfig.ExpectHeader or ProxyProtocolConfig.RelayHeader);

    /// <summary>The PROXY header counters while the listener expects headers (kept across updates), else null.</summary>
    public ProxyHeaderCounters? ProxyHeaders => ExpectsProxyHeader ? (_proxyHeaders ??= new ProxyHeaderCounters()) : null;

    /// <summary>The counters, once the listener has expected headers at least once (for metrics).</summary>
    public ProxyHeaderCounters? ProxyHeaderCountersIfAny => _proxyHeaders ?? ProxyHeaders;

    /// <summary>Binds (or adopts <paramref name="inheritedFd"/>) and starts accepting.</summary>
    public bool Activate(int inheritedFd, out string error)
    {
        if (Active)
        {
            error = "";
            return true;
        }
        int fd;
        if (inheritedFd >= 0)
        {
            // A copy: deactivation closes the copy, and the inherited descriptor stays open for a
            // later activation (it may be shared with other workers and the supervisor).
            fd = NativeSocket.Duplicate(inheritedFd);
            if (fd < 0 || !NativeSocket.SetNonBlocking(fd))
            {
                if (fd >= 0)
                {
                    NativeSocket.Close(fd);
                }
                error = $"inherited fd {inheritedFd} is not a usable socket";
                return false;
            }
        }
        else
        {
            fd = NativeSocket.Listen(Address, out var errno);
            if (fd < 0)
            {
                error = $"cannot listen on {Key}: errno {errno}";
                return false;
            }
        }
        Fd = fd;
        _token = _core.Loop.Register(fd, this, EpollFlags.In | EpollFlags.EdgeTriggered);
        Active = true;
        error = "";
        // Connections may have queued before registration; an edge would never come for them.
        OnReady(EpollFlags.In);
        return true;
    }

    /// <summary>Stops accepting and closes the listening socket; open sessions live on.</summary>
    public void Deactivate()
    {
        if (!Active)
        {
            return;
        }
        _core.Loop.Timers.Cancel(_acceptRetry);
        _core.Loop.Deregister(Fd, _token);
        NativeSocket.Close(Fd);
        Fd = -1;
        Active = false;
    }

    /// <summary>Stops accepting but hands the open socket to the caller (an upgrade passes it on).</summary>
    public int Detach()
    {
        if (!Active)
        {
            return -1;
        }
        _core.Loop.Timers.Cancel(_acceptRetry);
        _core.Loop.Deregister(Fd, _token);
        var fd = Fd;
        Fd = -1;
        Active = false;
        return fd;
    }

    /// <summary>Accepts what the queue holds now (a soft stop takes its share before it stops accepting).</summary>
    public void AcceptQueued() => OnReady(EpollFlags.In);

    public void OnReady(uint events)
    {
        // Edge-triggered: accept until EAGAIN, or the edge for the queued connections is lost.
        while (Active)
        {
            var fd = NativeSocket.Accept(Fd, out var peer, out var errno);
            if (fd < 0)
            {
                if (errno is Errno.EMFile or Errno.ENFile or Errno.ENoBufs or Errno.ENoMem)
                {
                    _core.CountAcceptFailure();
                    AcceptsOutOfResources++;
                    if (!_acceptRetry.IsArmed)
                    {
                        _core.Loop.Timers.Schedule(_acceptRetry, _core.Loop.NowMs + AcceptRetryDelayMs);
                    }
                    return;
                }
                // EAGAIN: drained. ECONNABORTED and the like concern one connection only.
                if (errno == Errno.EConnAborted)
                {
                    continue;
                }
                return;
            }
            _core.Accept(this, fd, peer);
        }
    }

    /// <summary>The retry after running out of descriptors: the queue is tried again, edge or not.</summary>
    public void OnTimeout(TimerNode node, long nowMs)
    {
        if (Active)
        {
            OnReady(EpollFlags.In);
        }
    }
}
