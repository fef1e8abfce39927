using System.Diagnostics;
using System.Globalization;
using System.Net;
using Sozu.Actors.Logging;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Benchmarks.Logging;

/// <summary>
/// `dotnet run -c Release --project tests/Sozu.Benchmarks -- access-log [entries]`: what the
/// access log costs the loop thread (time and bytes allocated per entry, measured on the calling
/// thread only) and how many lines per second its writer puts into a shared file target, paced
/// (the writer keeps up) and flat out (the queue fills and entries are dropped, never waited for).
/// A console measurement: BenchmarkDotNet's memory diagnoser counts every thread's allocations,
/// which would charge the writer's formatting to the loop.
/// </summary>
internal static class AccessLogMeasurement
{
    private static readonly byte[] PathBytes = "/api/v1/items/12345?page=2"u8.ToArray();
    private static readonly NativeAddress Client = NativeAddress.From(new IPEndPoint(IPAddress.Loopback, 40000));
    private static readonly NativeAddress Backend = NativeAddress.From(new IPEndPoint(IPAddress.Loopback, 9001));

    public static int Run(string[] args)
    {
        var entries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var directory = Directory.CreateTempSubdirectory("sozu-access-log-");
        try
        {
            var file = "file://" + Path.Combine(directory.FullName, "access.log");
            Measure("paced", file, entries, paced: true);
            Measure("flat out", file, entries, paced: false);
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void Measure(string name, string target, int entries, bool paced)
    {
        var log = SerilogAccessLog.ForTarget(target)!;
        for (var i = 0; i < 10_000; i++)
        {
            Write(log);
        }
        Wait(log, 10_000 - log.Dropped);
        var written = log.Written;
        var dropped = log.Dropped;
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var caller = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < entries; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Write(log);
            caller += Stopwatch.GetElapsedTime(start);
            if (paced && (i & 63) == 63)
            {
                Wait(log, written + i + 1 - (log.Dropped - dropped));
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        Wait(log, written + entries - (log.Dropped - dropped));
        total.Stop();
        var lines = log.Written - written;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-8}: {entries} entries, loop thread {caller.TotalNanoseconds / entries:0} ns and {(double)allocated / entries:0.##} B per entry; " +
            $"{lines} lines written in {total.Elapsed.TotalSeconds:0.00} s ({lines / total.Elapsed.TotalSeconds:0} lines/s), {log.Dropped - dropped} dropped"));
        log.Dispose();
    }

    private static void Write(SerilogAccessLog log) => log.Log(new AccessLogEntry
    {
        Protocol = AccessLogProtocol.Http,
        Client = Client,
        Backend = Backend,
        ClusterId = "app",
        BackendId = "app-0",
        ListenerAddress = "127.0.0.1:8080",
        Status = 200,
        Method = "GET"u8,
        Host = "app.example.com"u8,
        Path = PathBytes,
        StartMs = 1000,
        EndMs = 1003,
        BytesIn = 120,
        BytesOut = 4096,
    });

    /// <summary>Until the writer has written <paramref name="target"/> lines; bounded to 60 s.</summary>
    private static void Wait(SerilogAccessLog log, long target)
    {
        var deadline = Stopwatch.StartNew();
        while (log.Written < target && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Yield();
        }
    }
}
