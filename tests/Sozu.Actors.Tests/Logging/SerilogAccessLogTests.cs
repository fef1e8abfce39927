using System.Collections.Concurrent;
using System.Net;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Sozu.Actors.Logging;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Actors.Tests.Logging;

public sealed class SerilogAccessLogTests
{
    [Fact]
    public void Log_WritesOneEventPerEntry_WithSozusFields()
    {
        var sink = new CollectingSink();
        using (var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()))
        {
            Write(log, 200, "/index.html");
            Write(log, 503, "/down");
        }
        Assert.Equal(2, sink.Events.Count);
        var first = sink.Events.First();
        Assert.Equal("200", first.Properties["Status"].ToString());
        Assert.Equal("\"app\"", first.Properties["ClusterId"].ToString());
        Assert.Equal("\"app-0\"", first.Properties["BackendId"].ToString());
        Assert.Equal("\"GET\"", first.Properties["Method"].ToString());
        Assert.Equal("\"/index.html\"", first.Properties["Path"].ToString());
        Assert.Equal("\"127.0.0.1:40000\"", first.Properties["Client"].ToString());
        Assert.Equal("\"127.0.0.1:9001\"", first.Properties["Backend"].ToString());
        Assert.Equal("12", first.Properties["ResponseTimeMs"].ToString());
        Assert.Equal("100", first.Properties["BytesIn"].ToString());
        Assert.Equal("2000", first.Properties["BytesOut"].ToString());
    }

    [Fact]
    public void Log_OnTheLoopThread_AllocatesNothingPerEntry_OnceWarm()
    {
        // The loop thread's share of the access log: copy into a pooled array, enqueue. Measured
        // on the calling thread only; the writer's formatting happens on its own thread.
        using var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(new CollectingSink(keep: false)).CreateLogger());
        const int Warmup = 2_000;
        const int Measured = 5_000;
        for (var i = 0; i < Warmup; i++)
        {
            WriteAndWait(log, i + 1);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++)
        {
            WriteAndWait(log, Warmup + i + 1);
        }
        var perEntry = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Measured;
        // Measured 0 bytes per entry; a little room for the queue's segment growth, amortised.
        Assert.True(perEntry < 4, $"{perEntry:0.##} bytes allocated per entry on the caller's thread");
        Assert.Equal(0, log.Dropped);
    }

    [Fact]
    public void Log_StampsTheLineWithTheRequestsEnd_AndItsStart()
    {
        var sink = new CollectingSink();
        var before = DateTimeOffset.UtcNow;
        using (var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()))
        {
            Write(log, 200, "/");
        }
        var logEvent = Assert.Single(sink.Events);
        Assert.InRange(logEvent.Timestamp, before, DateTimeOffset.UtcNow);
        var start = DateTimeOffset.Parse(((ScalarValue)logEvent.Properties["RequestStart"]).Value!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
        // 12 ms before the end (StartMs 1000, EndMs 1012), to the millisecond of the format.
        Assert.InRange((logEvent.Timestamp - start).TotalMilliseconds, 11, 13);
    }

    [Theory]
    [InlineData("stdout", true)]
    [InlineData("stderr", true)]
    [InlineData("file:///var/log/sozu/access.log", true)]
    [InlineData("file://", false)]
    [InlineData("udp://127.0.0.1:514", true)]
    [InlineData("unix:///run/syslog.sock", true)]
    [InlineData("udp://localhost:514", false)]
    [InlineData("tcp://127.0.0.1:514", false)]
    [InlineData("access.log", false)]
    public void Supports_NamesTheTargetsItWrites(string target, bool supported)
    {
        Assert.Equal(supported, SerilogAccessLog.Supports(target));
        if (!supported)
        {
            Assert.Throws<ArgumentException>(() => SerilogAccessLog.ForTarget(target));
        }
    }

    [Fact]
    public void FullQueue_DropsAndCounts_WithoutBlockingTheCaller()
    {
        using var gate = new ManualResetEventSlim(false);
        var sink = new CollectingSink(gate);
        var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger(), capacity: 2);
        try
        {
            Write(log, 200, "/first");
            // The writer takes the first entry and stays blocked in the sink.
            SpinWait.SpinUntil(() => sink.Entered, TimeSpan.FromSeconds(5));
            var started = DateTime.UtcNow;
            for (var i = 0; i < 10; i++)
            {
                Write(log, 200, "/more");
            }
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1));
            Assert.Equal(8, log.Dropped);
        }
        finally
        {
            gate.Set();
            log.Dispose();
        }
        Assert.Equal(3, log.Written);
    }

    private static readonly byte[] WarmPath = "/warm/path"u8.ToArray();

    private static void WriteAndWait(SerilogAccessLog log, long written)
    {
        log.Log(new AccessLogEntry
        {
            Protocol = AccessLogProtocol.Http,
            ClusterId = "app",
            ListenerAddress = "127.0.0.1:8080",
            Status = 200,
            Method = "GET"u8,
            Host = "app.example.com"u8,
            Path = WarmPath,
            StartMs = 1,
            EndMs = 2,
        });
        // Paced, as requests are: the writer keeps up, so pooled arrays come back before the next rent.
        for (var spins = 0; log.Written < written && spins < 10_000_000; spins++)
        {
            Thread.Yield();
        }
    }

    private static void Write(SerilogAccessLog log, int status, string path)
    {
        log.Log(new AccessLogEntry
        {
            Protocol = AccessLogProtocol.Http,
            Client = NativeAddress.From(new IPEndPoint(IPAddress.Loopback, 40000)),
            Backend = NativeAddress.From(new IPEndPoint(IPAddress.Loopback, 9001)),
            ClusterId = "app",
            BackendId = "app-0",
            ListenerAddress = "127.0.0.1:8080",
            Status = status,
            Method = "GET"u8,
            Host = "app.example.com"u8,
            Path = System.Text.Encoding.ASCII.GetBytes(path),
            StartMs = 1000,
            EndMs = 1012,
            BytesIn = 100,
            BytesOut = 2000,
        });
    }

    /// <summary>A real Serilog sink that keeps events in memory; with a gate, it blocks until opened.</summary>
    private sealed class CollectingSink(ManualResetEventSlim? gate = null, bool keep = true) : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public bool Entered { get; private set; }

        public void Emit(LogEvent logEvent)
        {
            Entered = true;
            gate?.Wait(TimeSpan.FromSeconds(10));
            if (keep)
            {
                Events.Enqueue(logEvent);
            }
        }
    }
}
