using Sozu.Net.Backends;
using Sozu.Net.Buffers;
using Sozu.Net.Metrics;
using Sozu.Net.Sessions;
using Sozu.Net.Sockets;
using Sozu.Net.Timers;

namespace Sozu.Net.Tcp;

/// <summary>
/// Copies bytes both ways between the client and a connected backend, unchanged: raw TCP, and
/// WebSocket after an HTTP upgrade. Back-pressure: a side is read only while its buffer has
/// room, so a slow reader stops its peer; pending output waits in the buffer for EPOLLOUT.
/// Half-close: the end of one direction is passed on with shutdown(SHUT_WR), and the session
/// ends when both directions have ended and drained. Buffers are leased only while bytes are
/// in flight.
/// </summary>
internal sealed class PipeStage : SessionStage
{
    private readonly BackendConnection _backend;
    private readonly ClusterRuntime? _cluster;
    private readonly AccessLogProtocol _protocol;
    private readonly long _idleTimeoutMs;
    private Direction _up;
    private Direction _down;
    private bool _released;

    // Counters at the start of the pipe: after an HTTP upgrade the sockets already carried the exchange.
    private readonly long _frontReceivedAtStart;
    private readonly long _frontSentAtStart;
    private readonly long _backReceivedAtStart;
    private readonly long _backSentAtStart;

    private struct Direction
    {
        public PooledBuffer? Buffer;
        public bool SourceEnded;
        public bool ShutdownSent;

        public readonly bool Finished => SourceEnded && ShutdownSent;
    }

    /// <param name="toBackend">Client bytes already read (after an upgrade request), or null.</param>
    /// <param name="toClient">Backend bytes already read (after the 101 head), or null.</param>
    public PipeStage(Session session, BackendConnection backend, ClusterRuntime? cluster, AccessLogProtocol protocol, PooledBuffer? toBackend, PooledBuffer? toClient)
        : base(session)
    {
        _backend = backend;
        _cluster = cluster;
        _protocol = protocol;
        _up.Buffer = toBackend;
        _down.Buffer = toClient;
        _idleTimeoutMs = session.Listener.Config.FrontTimeout * 1000L;
        _frontReceivedAtStart = session.Front.BytesReceived;
        _frontSentAtStart = session.Front.BytesSent;
        _backReceivedAtStart = backend.Socket.BytesReceived;
        _backSentAtStart = backend.Socket.BytesSent;
        backend.Socket.SetOwner(session);
        session.ArmTimer(session.Core.Loop.NowMs + _idleTimeoutMs, 0);
    }

    public override StageResult Run()
    {
        var front = Session.Front;
        var back = _backend.Socket;
        bool progress;
        var any = false;
        do
        {
            progress = false;
            var up = Move(front, back, ref _up, ref progress);
            var down = Move(back, front, ref _down, ref progress);
            if (!up || !down)
            {
                return StageResult.Close;
            }
            any |= progress;
        }
        while (progress);
        if (_up.Finished && _down.Finished)
        {
            return StageResult.Close;
        }
        if (any)
        {
            Session.ArmTimer(Session.Core.Loop.NowMs + _idleTimeoutMs, 0);
        }
        return StageResult.Wait;
    }

    /// <summary>One step of one direction; false when the session must end (an error, or no buffer).</summary>
    private bool Move(SocketEndpoint source, SocketEndpoint destination, ref Direction direction, ref bool progress)
    {
        var pool = Session.Core.Buffers;
        var buffer = direction.Buffer;
        if (buffer is not null && !buffer.IsEmpty && destination.IsWritable)
        {
            var status = destination.Send(buffer, buffer.Length, out var sent);
            if (status == IoStatus.Error)
            {
                return false;
            }
            progress |= sent > 0;
        }
        if (buffer is not null && buffer.IsEmpty)
        {
            pool.Return(buffer);
            direction.Buffer = buffer = null;
        }
        if (!direction.SourceEnded && source.IsReadable && (buffer is null || buffer.FreeSpace > 0))
        {
            if (buffer is null)
            {
                buffer = pool.Rent();
                if (buffer is null)
                {
                    // The pool is empty: the limit holds, this session yields its place.
                    return false;
                }
                direction.Buffer = buffer;
            }
            switch (source.Receive(buffer, out _))
            {
                case IoStatus.Done:
                    progress = true;
                    break;
                case IoStatus.Closed:
                    direction.SourceEnded = true;
                    progress = true;
                    break;
                case IoStatus.Error:
                    return false;
            }
            if (buffer.IsEmpty)
            {
                pool.Return(buffer);
                direction.Buffer = null;
            }
        }
        if (direction.SourceEnded && !direction.ShutdownSent && (direction.Buffer is null || direction.Buffer.IsEmpty))
        {
            destination.ShutdownWrite();
            direction.ShutdownSent = true;
            progress = true;
        }
        return true;
    }

    public override StageResult OnTimeout(TimerNode node, long nowMs)
    {
        Session.Listener.Traffic.Timeouts++;
        return StageResult.Close;
    }

    public override void Release()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        var core = Session.Core;
        if (_up.Buffer is not null)
        {
            core.Buffers.Return(_up.Buffer);
            _up.Buffer = null;
        }
        if (_down.Buffer is not null)
        {
            core.Buffers.Return(_down.Buffer);
            _down.Buffer = null;
        }
        var front = Session.Front;
        var back = _backend.Socket;
        var backend = _backend.Backend;
        var bytesIn = front.BytesReceived - _frontReceivedAtStart;
        var bytesOut = front.BytesSent - _frontSentAtStart;
        backend.Traffic.BytesIn += back.BytesReceived - _backReceivedAtStart;
        backend.Traffic.BytesOut += back.BytesSent - _backSentAtStart;
        Session.CountClientBytes(_cluster);
        core.LogAccess(new AccessLogEntry
        {
            Protocol = _protocol,
            Client = Session.Peer,
            Backend = backend.Address,
            ClusterId = _cluster?.Config.ClusterId,
            BackendId = backend.Config.BackendId,
            ListenerAddress = Session.Listener.Key,
            StartMs = Session.AcceptedMs,
            EndMs = core.Loop.NowMs,
            BytesIn = bytesIn,
            BytesOut = bytesOut,
        });
        core.BackendPool.Abort(_backend);
    }
}
