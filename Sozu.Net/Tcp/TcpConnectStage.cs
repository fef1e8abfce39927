using Sozu.Net.Backends;
using Sozu.Net.Buffers;
using Sozu.Net.Metrics;
using Sozu.Net.Sessions;
using Sozu.Net.Sockets;
using Sozu.Net.Timers;

namespace Sozu.Net.Tcp;

/// <summary>
/// The first stage of a TCP session: pick a backend of the listener's cluster and connect,
/// trying another backend when one refuses or times out (at most <see cref="MaxAttempts"/>),
/// then hand both sockets to a <see cref="PipeStage"/>. Client bytes wait in the kernel meanwhile.
/// A client IP at its per-IP cap for the cluster is closed at once. A cluster with send_proxy
/// gets a v2 PROXY header as the first bytes of the connection.
/// </summary>
internal sealed class TcpConnectStage(Session session) : SessionStage(session)
{
    internal const int MaxAttempts = 3;

    private ClusterRuntime? _cluster;
    private BackendConnection? _connection;
    private int _attempts;
    private long _connectStartMs;
    private long _connectStartMicros;

    public override StageResult Run()
    {
        if (_connection is null)
        {
            return StartConnect(exclude: null);
        }
        var socket = _connection.Socket;
        if (!socket.HasError && !socket.IsWritable)
        {
            return StageResult.Wait;
        }
        var error = NativeSocket.PendingError(socket.Fd);
        if (socket.HasError || error != 0)
        {
            return Retry();
        }
        _connection.Connected = true;
        var backend = _connection.Backend;
        var now = Session.Core.Loop.NowMs;
        backend.RecordResponseTime(now - _connectStartMs, now);
        var elapsed = Session.Core.Loop.NowMicros - _connectStartMicros;
        backend.Latency.ConnectTime.Record(elapsed);
        _cluster?.Latency.ConnectTime.Record(elapsed);
        Session.Core.Events.BackendSucceeded(backend);
        backend.Traffic.ConnectionsAccepted++;
        Session.CancelTimer();
        PooledBuffer? header = null;
        if (_cluster?.SendsProxyHeader == true)
        {
            // The backend's first bytes: queued ahead of any client byte in the pipe's upstream buffer.
            header = Session.Core.Buffers.Rent();
            if (header is null)
            {
                return StageResult.Close;
            }
            header.End += Session.WriteProxyHeader(header.Writable);
            _connection.CarriesProxyHeader = true;
        }
        Next = new PipeStage(Session, _connection, _cluster, AccessLogProtocol.Tcp, header, null);
        _connection = null;
        return StageResult.Upgrade;
    }

    private StageResult StartConnect(BackendRuntime? exclude)
    {
        var core = Session.Core;
        var clusterId = Session.Listener.TcpClusterId;
        _cluster = clusterId is null ? null : core.FindCluster(clusterId);
        if (_cluster is not null && !Session.TryEnterCluster(_cluster))
        {
            return StageResult.Close;
        }
        while (_attempts < MaxAttempts)
        {
            var backend = _cluster?.Pick(core.Loop.NowMs, exclude);
            if (backend is null)
            {
                if (_cluster is not null && _attempts == 0)
                {
                    core.Events.NoAvailableBackends(_cluster);
                }
                return StageResult.Close;
            }
            _attempts++;
            _connectStartMs = core.Loop.NowMs;
            _connectStartMicros = core.Loop.NowMicros;
            _connection = core.BackendPool.Connect(backend, Session, out var errno);
            if (_connection is not null)
            {
                Session.ArmTimer(core.Loop.NowMs + (Session.Listener.Config.ConnectTimeout * 1000L), 0);
                return StageResult.Wait;
            }
            if (BackendPool.IsLocalShortage(errno))
            {
                return StageResult.Close;
            }
            core.Events.BackendFailed(backend, core.Loop.NowMs);
            exclude = backend;
        }
        return StageResult.Close;
    }

    private StageResult Retry()
    {
        var failed = _connection!;
        Session.Core.Events.BackendFailed(failed.Backend, Session.Core.Loop.NowMs);
        Session.Core.BackendPool.Abort(failed);
        _connection = null;
        return StartConnect(failed.Backend);
    }

    public override StageResult OnTimeout(TimerNode node, long nowMs) =>
        _connection is null ? StageResult.Close : Retry();

    public override bool Drain() => false;

    public override void Release()
    {
        if (_connection is not null)
        {
            Session.Core.BackendPool.Abort(_connection);
            _connection = null;
        }
    }
}
