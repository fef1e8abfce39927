using Sozu.Net.Backends;

namespace Sozu.Net.Http1.Proxying;

/// <summary>
/// What an exchange adds to the counters: requests and status classes, bytes (client-side through
/// <see cref="Sessions.Session.CountClientBytes"/>, backend-side from the backend socket's deltas
/// over the exchange) and the time histograms. Plain additions on the loop thread, no allocation.
/// </summary>
internal sealed partial class Http1Stage
{
    /// <summary>An answer of the proxy's own (404, 503, …): its bytes are counted once it is sent.</summary>
    private void CountAnswer()
    {
        var listener = Session.Listener.Traffic;
        listener.CountStatus(_status);
        Session.Core.Global.CountStatus(_status);
        if (_cluster is not null)
        {
            _cluster.Traffic.Requests++;
            _cluster.Traffic.CountStatus(_status);
        }
        LogRequest(_http.IsHttps ? Metrics.AccessLogProtocol.Https : Metrics.AccessLogProtocol.Http);
    }

    private void CountExchange(BackendRuntime backend)
    {
        Session.Listener.Traffic.CountStatus(_status);
        Session.Core.Global.CountStatus(_status);
        var backendSocket = _connection!.Socket;
        backend.Traffic.Requests++;
        backend.Traffic.CountStatus(_status);
        backend.Traffic.BytesIn += backendSocket.BytesReceived - _backReceivedAtStart;
        backend.Traffic.BytesOut += backendSocket.BytesSent - _backSentAtStart;
        if (_cluster is not null)
        {
            _cluster.Traffic.Requests++;
            _cluster.Traffic.CountStatus(_status);
        }
        Session.CountClientBytes(_cluster);
    }

    /// <summary>See <see cref="MalformedResponse"/>: counted for the backend, its cluster, the listener and the worker.</summary>
    private void CountMalformedResponse(BackendRuntime backend)
    {
        backend.Traffic.MalformedResponses++;
        if (_cluster is not null)
        {
            _cluster.Traffic.MalformedResponses++;
        }
        Session.Listener.Traffic.MalformedResponses++;
        Session.Core.Global.MalformedResponses++;
    }

    /// <summary>A new backend connection became writable.</summary>
    private void RecordConnectTime(BackendRuntime backend)
    {
        var elapsed = Session.Core.Loop.NowMicros - _connectStartMicros;
        backend.Latency.ConnectTime.Record(elapsed);
        _cluster?.Latency.ConnectTime.Record(elapsed);
    }

    /// <summary>The backend's (final) response head arrived.</summary>
    private void RecordResponseTime(BackendRuntime backend)
    {
        var elapsed = Session.Core.Loop.NowMicros - _requestStartMicros;
        backend.Latency.ResponseTime.Record(elapsed);
        _cluster?.Latency.ResponseTime.Record(elapsed);
    }

    /// <summary>The response's last byte went to the client socket.</summary>
    private void RecordRequestTime(BackendRuntime backend)
    {
        var elapsed = Session.Core.Loop.NowMicros - _requestStartMicros;
        backend.Latency.RequestTime.Record(elapsed);
        _cluster?.Latency.RequestTime.Record(elapsed);
    }
}
