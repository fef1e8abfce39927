using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Serilog;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Actors.Logging;

/// <summary>
/// The access log (<c>access_logs_target</c>): one structured Serilog event per request or TCP
/// session with Sōzu's fields (client, backend, cluster, backend id, method, host, path, status,
/// response time, bytes in and out, listener, protocol).
///
/// The loop thread only copies the entry into a pooled buffer and hands it to a bounded queue;
/// a background task formats and writes. A full queue (a slow disk) drops the entry and counts
/// it in <see cref="Dropped"/>: the proxy never waits for its log.
/// </summary>
public sealed class SerilogAccessLog : IAccessLog, IDisposable
{
    public const string Template =
        "{Client} -> {Backend} {ClusterId}/{BackendId} {Method} {Host}{Path} {Status} {ResponseTimeMs}ms in={BytesIn} out={BytesOut} {Listener} {Protocol}";

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

    /// <summary>An access log for a Sōzu target: "stdout", "stderr" or "file:///path"; null when there is none.</summary>
    /// <exception cref="ArgumentException">The target is none of those.</exception>
    public static SerilogAccessLog? ForTarget(string? target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }
        var configuration = new LoggerConfiguration().MinimumLevel.Information();
        const string Line = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} " + Template + "{NewLine}";
        if (target.StartsWith("file://", StringComparison.Ordinal))
        {
            configuration.WriteTo.File(target["file://".Length..], outputTemplate: Line, buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }
        else if (target == "stdout")
        {
            configuration.WriteTo.Console(outputTemplate: Line);
        }
        else if (target == "stderr")
        {
            configuration.WriteTo.Console(outputTemplate: Line, standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
        }
        else
        {
            throw new ArgumentException($"access_logs_target \"{target}\": expected stdout, stderr or file:///path", nameof(target));
        }
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
            text, entry.Method.Length, entry.Host.Length, entry.Path.Length, entry.EndMs - entry.StartMs, entry.BytesIn, entry.BytesOut);
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
                _logger.Information(Template,
                    entry.Client.ToString(), entry.Backend.ToString(), entry.ClusterId ?? "-", entry.BackendId ?? "-",
                    method.Length == 0 ? "-" : method, host, path, entry.Status, entry.DurationMs, entry.BytesIn, entry.BytesOut,
                    entry.Listener, entry.Protocol.ToString().ToLowerInvariant());
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
        long BytesOut);
}
