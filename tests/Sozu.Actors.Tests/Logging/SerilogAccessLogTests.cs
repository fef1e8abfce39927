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
        // The loop thread's share of the access log: a copy into the ring. Measured on the calling
        // thread only; the writer's formatting happens on its own thread.
        using var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(new CollectingSink(keep: false)).CreateLogger());
        const int Batch = 1_000;
        WriteBatchAndWait(log, Batch, written: Batch);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 2; i <= 6; i++)
        {
            WriteBatchAndWait(log, Batch, written: i * Batch);
        }
        var perEntry = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / (5 * Batch);
        Assert.Equal(0, perEntry);
        Assert.Equal(0, log.Dropped);
        Assert.Equal(6 * Batch, log.Written);
    }

    [Fact]
    public void Log_KeepsEveryEntryInOrder_AcrossManyWrapsOfTheRing()
    {
        // A small ring wrapped many times, paths of every length up to more than a slot's share:
        // the writer must see each entry once, in order, with its own bytes.
        var sink = new CollectingSink();
        using (var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger(), capacity: 8))
        {
            for (var i = 0; i < 400; i++)
            {
                Write(log, 200, "/" + new string('p', i % 300) + "/" + i);
                for (var spins = 0; log.Written + log.Dropped < i + 1 && spins < 1_000; spins++)
                {
                    Thread.Sleep(1);
                }
            }
        }
        Assert.Equal(0, sink.Events.Count(e => e.Properties["Path"].ToString().Length == 0));
        var paths = sink.Events.Select(e => ((ScalarValue)e.Properties["Path"]).Value!.ToString()!).ToList();
        Assert.Equal(400, paths.Count);
        for (var i = 0; i < paths.Count; i++)
        {
            Assert.Equal("/" + new string('p', i % 300) + "/" + i, paths[i]);
        }
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
    public async Task FullQueue_DropsAndCounts_WithoutBlockingTheCaller()
    {
        using var gate = new ManualResetEventSlim(false);
        var sink = new CollectingSink(gate);
        var log = new SerilogAccessLog(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger(), capacity: 2);
        try
        {
            Write(log, 200, "/first");
            // The writer takes the first entry and stays blocked in the sink.
            SpinWait.SpinUntil(() => sink.Entered, TimeSpan.FromSeconds(5));
            // The sink stays blocked until the gate opens below: a write that waited for room would
            // never return, so a generous wait tells "drops" from "blocks" without timing speed.
            var writes = Task.Run(() =>
            {
                for (var i = 0; i < 10; i++)
                {
                    Write(log, 200, "/more");
                }
            });
            await writes.WaitAsync(TimeSpan.FromSeconds(10)); // throws TimeoutException: a write blocked behind the stuck sink
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

    private static void WriteBatchAndWait(SerilogAccessLog log, int count, long written)
    {
        for (var i = 0; i < count; i++)
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
        }
        // Bounded: the writer polls every 10 ms and formats thousands of lines per poll.
        for (var spins = 0; log.Written < written && spins < 1_000; spins++)
        {
            Thread.Sleep(5);
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
