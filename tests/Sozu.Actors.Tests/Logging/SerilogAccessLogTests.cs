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
    private sealed class CollectingSink(ManualResetEventSlim? gate = null) : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public bool Entered { get; private set; }

        public void Emit(LogEvent logEvent)
        {
            Entered = true;
            gate?.Wait(TimeSpan.FromSeconds(10));
            Events.Enqueue(logEvent);
        }
    }
}
