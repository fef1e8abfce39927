using System.Diagnostics;
using Sozu.Net.Tests.Support;
using Sozu.Net.Tests.Worker;
using Xunit;
using Xunit.Abstractions;

namespace Sozu.Net.Tests.Tls;

/// <summary>
/// The TLS record path allocates nothing per request on the loop thread, and a handshake a
/// bounded amount (the session, its stages, the SafeHandle). Measured on the loop thread
/// only, so the SslStream client does not count. The rates printed are client-bound (one
/// SslStream client on the same 2 cores) and only indicative.
/// </summary>
public class TlsAllocationTests(ITestOutputHelper output)
{
    private static readonly TestCertificate Certificate = TestCertificate.Ecdsa("a.test");

    /// <summary>utime + stime of the calling thread from /proc (10 ms ticks): CPU the loop spent, whatever the machine's load.</summary>
    private static long LoopCpuMilliseconds()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat(5), counted after the command name.
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) * 10;
    }

    [Fact(Timeout = 60_000)]
    public async Task KeepAliveRequestsOverTls_AllocateNothingOnTheLoopThread()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var client = TlsClient.Connect(https.Address, "a.test");
        var request = "GET /bench HTTP/1.1\r\nHost: a.test\r\n\r\n"u8.ToArray();
        for (var i = 0; i < 500; i++)
        {
            client.Stream.Write(request);
            client.Response();
        }
        var measured = int.TryParse(Environment.GetEnvironmentVariable("SOZU_ALLOC_REQUESTS"), out var n) ? n : 3000;
        var cpuBefore = await https.Worker.Worker.Invoke(LoopCpuMilliseconds);
        var before = await https.Worker.Worker.Invoke(GC.GetAllocatedBytesForCurrentThread);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < measured; i++)
        {
            client.Stream.Write(request);
            client.Response();
        }
        clock.Stop();
        var after = await https.Worker.Worker.Invoke(GC.GetAllocatedBytesForCurrentThread);
        var cpu = await https.Worker.Worker.Invoke(LoopCpuMilliseconds) - cpuBefore;
        output.WriteLine($"{after - before} bytes on the loop thread for {measured} keep-alive requests over TLS; "
            + $"loop thread CPU {cpu * 1000.0 / measured:F1} µs/request; {measured / clock.Elapsed.TotalSeconds:F0} req/s (one sequential client)");
        Assert.True(after - before < 2048, $"{after - before} bytes for {measured} requests");
    }

    [Fact(Timeout = 60_000)]
    public async Task Handshakes_AllocateABoundedAmountEach()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        for (var i = 0; i < 50; i++)
        {
            using var warm = TlsClient.Connect(https.Address, "a.test");
        }
        await LimitsTests.WaitFor(async () => (await https.Worker.Worker.QueryMetricsAsync()).Sessions == 0);
        const int measured = 300;
        var cpuBefore = await https.Worker.Worker.Invoke(LoopCpuMilliseconds);
        var before = await https.Worker.Worker.Invoke(GC.GetAllocatedBytesForCurrentThread);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < measured; i++)
        {
            using var client = TlsClient.Connect(https.Address, "a.test");
        }
        clock.Stop();
        await LimitsTests.WaitFor(async () => (await https.Worker.Worker.QueryMetricsAsync()).Sessions == 0);
        var after = await https.Worker.Worker.Invoke(GC.GetAllocatedBytesForCurrentThread);
        var cpu = await https.Worker.Worker.Invoke(LoopCpuMilliseconds) - cpuBefore;
        var perHandshake = (double)(after - before) / measured;
        output.WriteLine($"{perHandshake:F0} B per TLS connection on the loop thread; loop thread CPU {cpu * 1000.0 / measured:F0} µs/handshake "
            + $"(≈{measured * 1000.0 / Math.Max(1, cpu):F0} handshakes/s/core); {measured / clock.Elapsed.TotalSeconds:F0} full ECDSA handshakes/s wall (one sequential SslStream client)");
        Assert.True(perHandshake < 2048, $"{perHandshake:F0} B per handshake");
    }
}
