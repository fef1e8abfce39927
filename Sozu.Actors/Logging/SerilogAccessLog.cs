using System.Globalization;
using System.Text;
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
/// The loop thread only copies the entry into a lock-free single-producer ring
/// (<see cref="AccessLogRing"/>): no lock, no allocation, no system call, no wake-up of the
/// writer. The writer thread formats and writes what it finds, and when it finds nothing it
/// sleeps <see cref="IdlePoll"/> — lines reach the target within that, a few thousand per
/// poll at most. A full ring (a slow target) drops the entry and counts it in
/// <see cref="Dropped"/>: the proxy never waits for its log.
/// </summary>
public sealed class SerilogAccessLog : IAccessLog, IDisposable
{
    public const string Template =
        "{Client} -> {Backend} {ClusterId}/{BackendId} {Method} {Host}{Path} {Status} start={RequestStart} {ResponseTimeMs}ms in={BytesIn} out={BytesOut} {Listener} {Protocol}";

    /// <summary>How long the writer sleeps when the ring is empty; a wake-up per entry would cost the loop a system call.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Targets this class writes to (<see cref="LogTarget.Supports"/>).</summary>
    public static bool Supports(string target) => LogTarget.Supports(target);

    private readonly ILogger _logger;
    private readonly AccessLogRing _ring;
    private readonly Thread _writer;
    private readonly bool _ownsLogger;
    private volatile bool _stopping;
    private long _dropped;
    private long _written;

    /// <param name="capacity">Entries the ring holds; with the byte ring (128 bytes per entry) about 250 bytes each.</param>
    public SerilogAccessLog(ILogger logger, int capacity = 4096, bool ownsLogger = false)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _logger = logger;
        _ownsLogger = ownsLogger;
        // Paths are usually short; a long one takes the room of several and may be dropped under a burst.
        _ring = new AccessLogRing(capacity, Math.Max(capacity * 128, 16 * 1024));
        _writer = new Thread(Drain) { IsBackground = true, Name = "sozu-access-log" };
        _writer.Start();
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
        // The loop thread is the only producer.
        if (!_ring.TryWrite(entry, DateTime.UtcNow.Ticks))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public void Dispose()
    {
        _stopping = true;
        _writer.Join(TimeSpan.FromSeconds(5));
        if (_ownsLogger && _logger is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private void Drain()
    {
        var scratch = new byte[512];
        while (true)
        {
            // Read before draining: entries written before Dispose are all written.
            var stopping = _stopping;
            while (_ring.TryRead(out var entry, ref scratch))
            {
                Write(entry, scratch);
            }
            if (stopping)
            {
                return;
            }
            Thread.Sleep(IdlePoll);
        }
    }

    private void Write(in AccessLogRing.Slot entry, byte[] scratch)
    {
        try
        {
            var text = scratch.AsSpan();
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
        }
#pragma warning disable CA1031 // a sink that throws must not kill the writer thread and silence the log
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        Interlocked.Increment(ref _written);
    }
}
