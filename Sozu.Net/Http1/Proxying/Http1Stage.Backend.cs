using Sozu.Net.Backends;
using Sozu.Net.Sockets;

namespace Sozu.Net.Http1.Proxying;

/// <summary>Getting a backend connection for the exchange: pooled first, else a new connect, retried elsewhere on failure.</summary>
internal sealed partial class Http1Stage
{
    /// <summary>New connections tried per request (across backends) before answering 502.</summary>
    internal const int MaxConnectAttempts = 3;

    private Step StartBackend(BackendRuntime? preferred, bool forceNew)
    {
        var core = Session.Core;
        var now = core.Loop.NowMs;
        if (_ownBackend is { } own)
        {
            // send_proxy: the connection that told its backend about this session's client serves
            // the session's next request (HAProxy's private connections), unless a sticky cookie,
            // another cluster or a stale socket says otherwise.
            _ownBackend = null;
            if (!forceNew && (preferred is null || preferred == own.Backend) && own.Backend.ClusterId == _cluster!.Config.ClusterId
                && own.Backend.IsAvailable(now) && core.BackendPool.Resume(own))
            {
                _backendStartMs = now;
                _connection = own;
                EnterExchange();
                return Step.Next;
            }
            core.BackendPool.CloseHeld(own);
        }
        // A pooled connection carries no PROXY header: a send_proxy cluster never takes one.
        forceNew |= _cluster!.SendsProxyHeader;
        while (_attempts < MaxConnectAttempts)
        {
            var backend = preferred is not null && preferred.IsAvailable(now) ? preferred : _cluster!.Pick(now, _excluded);
            preferred = null;
            if (backend is null)
            {
                // Nothing available at all is 503; available ones that all failed is 502.
                if (_attempts == 0)
                {
                    core.Events.NoAvailableBackends(_cluster!);
                }
                return StartAnswer(_attempts == 0 ? 503 : 502);
            }
            _backendStartMs = now;
            if (!forceNew && core.BackendPool.TakeIdle(backend, Session, forRequest: true) is { } idle)
            {
                _connection = idle;
                EnterExchange();
                return Step.Next;
            }
            forceNew = _cluster.SendsProxyHeader;
            _attempts++;
            var connection = core.BackendPool.Connect(backend, Session, out var errno, forRequest: true);
            if (connection is null)
            {
                if (Backends.BackendPool.IsLocalShortage(errno))
                {
                    // Out of fds or memory here: not the backend's fault, and no other backend would do better.
                    return StartAnswer(503);
                }
                core.Events.BackendFailed(backend, now);
                _excluded = backend;
                continue;
            }
            _connection = connection;
            _connectStartMicros = core.Loop.NowMicros;
            _phase = HttpPhase.Connecting;
            ArmTimer(HttpTimer.Connect, Session.Listener.Config.ConnectTimeout);
            return Step.Next;
        }
        return StartAnswer(502);
    }

    private Step Connect()
    {
        var socket = _connection!.Socket;
        if (!socket.HasError && !socket.IsWritable)
        {
            return Step.Wait;
        }
        if (socket.HasError || NativeSocket.PendingError(socket.Fd) != 0)
        {
            return BackendFailed(connectFailure: true);
        }
        // Health is judged when the response head arrives: a backend that accepts and then resets is failing too.
        _connection.Connected = true;
        _connection.Backend.Traffic.ConnectionsAccepted++;
        RecordConnectTime(_connection.Backend);
        EnterExchange();
        return Step.Next;
    }

    private void EnterExchange()
    {
        _backReceivedAtStart = _connection!.Socket.BytesReceived;
        _backSentAtStart = _connection.Socket.BytesSent;
        _phase = HttpPhase.Exchange;
        _responsePhase = ResponsePhase.Head;
        _backBody = 0;
        _backendReusable = false;
        // send_proxy: a new connection's first bytes are the PROXY header for this session's client.
        _proxyHeaderSent = 0;
        _proxyHeaderLength = 0;
        if (!_connection.Reused && _cluster!.SendsProxyHeader)
        {
            _proxyHeaderLength = Session.WriteProxyHeader(_proxyHeader);
            _connection.CarriesProxyHeader = true;
        }
        ArmTimer(HttpTimer.Exchange, Session.Listener.Config.BackTimeout);
    }

    /// <summary>
    /// The backend connection failed before any response byte. Retried on a fresh connection
    /// (another backend for a connect failure or a reset of a fresh connection, a new socket
    /// for a stale pooled one) while the whole request is still at hand, i.e. no body byte was
    /// forwarded; else 502. Only a stale pooled connection is not the backend's fault.
    /// </summary>
    private Step BackendFailed(bool connectFailure)
    {
        var failed = _connection!;
        _connection = null;
        var now = Session.Core.Loop.NowMs;
        if (connectFailure || !failed.Connected || !failed.Reused)
        {
            Session.Core.Events.BackendFailed(failed.Backend, now);
            _excluded = failed.Backend;
        }
        var staleReuse = failed.Reused && !connectFailure;
        Session.Core.BackendPool.Abort(failed);
        ReturnBuffer(ref _back);
        var canRetry = !_responseStarted && _requestBodySent == 0 && _requestOut is not null;
        if (!canRetry)
        {
            return _responseStarted ? Step.Close : StartAnswer(502);
        }
        _requestOutSent = 0;
        if (staleReuse)
        {
            if (_staleRetried)
            {
                return StartAnswer(502);
            }
            _staleRetried = true;
            return StartBackend(failed.Backend, forceNew: true);
        }
        return StartBackend(null, forceNew: false);
    }
}
