using Sozu.Net.Http1.Parsing;
using Sozu.Net.Metrics;

namespace Sozu.Net.Http1.Proxying;

/// <summary>
/// Access log entries. Method, host and path are copied (only when a hook is enabled) into
/// one scratch array per session, because the request head is gone from the buffer by the
/// time the response ends.
/// </summary>
internal sealed partial class Http1Stage
{
    private const int LogScratchSize = 1024;

    private byte[]? _logScratch;
    private int _logMethodLength;
    private int _logHostLength;
    private int _logPathLength;

    private void CaptureForAccessLog(ReadOnlySpan<byte> source, RequestHead head)
    {
        var log = Session.Core.AccessLog;
        if (log is null || !log.Enabled)
        {
            _logMethodLength = _logHostLength = _logPathLength = 0;
            return;
        }
        _logScratch ??= new byte[LogScratchSize];
        var scratch = _logScratch.AsSpan();
        _logMethodLength = Copy(head.Method.Of(source), scratch, 16);
        _logHostLength = Copy(head.RoutingHost.Of(source), scratch[_logMethodLength..], 256);
        _logPathLength = Copy(head.Target.Of(source), scratch[(_logMethodLength + _logHostLength)..], LogScratchSize - _logMethodLength - _logHostLength);
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to, int max)
    {
        var length = Math.Min(from.Length, Math.Min(max, to.Length));
        from[..length].CopyTo(to);
        return length;
    }

    private void LogRequest(AccessLogProtocol protocol)
    {
        var core = Session.Core;
        var log = core.AccessLog;
        if (log is null || !log.Enabled)
        {
            return;
        }
        var scratch = _logScratch is null ? default : _logScratch.AsSpan();
        var backend = _connection?.Backend;
        var front = Session.Channel;
        core.LogAccess(new AccessLogEntry
        {
            Protocol = protocol,
            Client = Session.Peer,
            Backend = backend?.Address ?? default,
            ClusterId = _cluster?.Config.ClusterId,
            BackendId = backend?.Config.BackendId,
            ListenerAddress = Session.Listener.Key,
            Status = _status,
            Method = scratch.IsEmpty ? default : scratch[.._logMethodLength],
            Host = scratch.IsEmpty ? default : scratch.Slice(_logMethodLength, _logHostLength),
            Path = scratch.IsEmpty ? default : scratch.Slice(_logMethodLength + _logHostLength, _logPathLength),
            StartMs = _requestStartMs,
            EndMs = core.Loop.NowMs,
            BytesIn = front.BytesReceived - _frontReceivedAtStart,
            BytesOut = front.BytesSent - _frontSentAtStart,
        });
    }
}
