using System.Buffers;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Serilog;
using Serilog.Events;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Actors.Logging;

/// <summary>
/// The access log (<c>access_logs_target</c>): one structured Serilog event per request or TCP
/// session with Sōzu's fields (client, backend, cluster, backend id, method, host, path, status,
/// when the request started and how long it took, bytes in and out, listener, protocol). The
/// event's timestamp is the wall-clock end of the request, not the moment the line is written.
///
/// The loop thread only copies the entry into a pooled buffer and hands it to a bounded queue;
/// a background task formats and writes. A full queue (a slow disk) drops the entry and counts
/// it in <see cref="Dropped"/>: the proxy never waits for its log.
/// </summary>
public sealed class SerilogAccessLog : IAccessLog, IDisposable
{
    public const string Template =
        "{Client} -> {Backend} {ClusterId}/{BackendId} {Method} {Host}{Path} {Status} start={RequestStart} {ResponseTimeMs}ms in={BytesIn} out={BytesOut} {Listener} {Protocol}";

    /// <summary>Targets this class writes to (<see cref="LogTarget.Supports"/>).</summary>
    public static bool Supports(string target) => LogTarget.Supports(target);

    private readonly ILogger _logger;
    private readonly Channel<Entry> _queue;
    private readonly Task _writer;
    private readonly bool _ownsLogger;
    private long _dropped;
    private long _written;

    public SerilogAccessLog(ILogger logger, int capacity = 8192, bool ownsLogger = false)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _logger = logger;
        _ownsLogger = ownsLogger;
        _queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(Drain);
    }

    public bool Enabled => true;

    /// <summary>Entries lost because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>An access log for a Sōzu target (<see cref="LogTarget.Supports"/>); null when there is none.</summary>
    /// <exception cref="ArgumentException">The target is none of those.</exception>
    public static SerilogAccessLog? ForTarget(string? target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }
        var configuration = new LoggerConfiguration().MinimumLevel.Information();
        if (!LogTarget.Supports(target))
        {
            throw new ArgumentException($"access_logs_target \"{target}\": expected stdout, stderr, file:///path, udp://IP:PORT or unix:///path", nameof(target));
        }
        LogTarget.WriteTo(configuration, target, "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} " + Template + "{NewLine}");
        return new SerilogAccessLog(configuration.CreateLogger(), ownsLogger: true);
    }

    public void Log(in AccessLogEntry entry)
    {
        var textLength = entry.Method.Length + entry.Host.Length + entry.Path.Length;
        var text = textLength == 0 ? [] : ArrayPool<byte>.Shared.Rent(textLength);
        entry.Method.CopyTo(text);
        entry.Host.CopyTo(text.AsSpan(entry.Method.Length));
        entry.Path.CopyTo(text.AsSpan(entry.Method.Length + entry.Host.Length));
        var copy = new Entry(
            entry.Protocol, entry.Client, entry.Backend, entry.ClusterId, entry.BackendId, entry.ListenerAddress, entry.Status,
            text, entry.Method.Length, entry.Host.Length, entry.Path.Length, entry.EndMs - entry.StartMs, entry.BytesIn, entry.BytesOut,
            DateTime.UtcNow.Ticks);
        if (!_queue.Writer.TryWrite(copy))
        {
            Return(text);
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
        if (_ownsLogger && _logger is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private async Task Drain()
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var text = entry.Text.AsSpan();
                var method = Encoding.ASCII.GetString(text[..entry.MethodLength]);
                var host = Encoding.ASCII.GetString(text.Slice(entry.MethodLength, entry.HostLength));
                var path = Encoding.ASCII.GetString(text.Slice(entry.MethodLength + entry.HostLength, entry.PathLength));
                var end = new DateTimeOffset(entry.EndUtcTicks, TimeSpan.Zero);
                var start = end - TimeSpan.FromMilliseconds(entry.DurationMs);
                object?[] values =
                [
                    entry.Client.ToString(), entry.Backend.ToString(), entry.ClusterId ?? "-", entry.BackendId ?? "-",
                    method.Length == 0 ? "-" : method, host, path, entry.Status,
                    start.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), entry.DurationMs, entry.BytesIn, entry.BytesOut,
                    entry.Listener, entry.Protocol.ToString().ToLowerInvariant(),
                ];
                if (_logger.BindMessageTemplate(Template, values, out var template, out var properties))
                {
                    _logger.Write(new LogEvent(end, LogEventLevel.Information, null, template, properties));
                }
                Interlocked.Increment(ref _written);
            }
            finally
            {
                Return(entry.Text);
            }
        }
    }

    private static void Return(byte[] text)
    {
        if (text.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    private readonly record struct Entry(
        AccessLogProtocol Protocol,
        NativeAddress Client,
        NativeAddress Backend,
        string? ClusterId,
        string? BackendId,
        string Listener,
        int Status,
        byte[] Text,
        int MethodLength,
        int HostLength,
        int PathLength,
        long DurationMs,
        long BytesIn,
        long BytesOut,
        long EndUtcTicks);
}
