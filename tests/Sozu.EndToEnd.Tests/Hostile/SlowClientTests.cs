using System.Diagnostics;
using System.Globalization;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Hostile;

/// <summary>
/// The four slowhttptest attacks (Debian package slowhttptest, installed by scripts/setup.sh;
/// the attacked origin is scripts/slow-clients/origin.py, python3)
/// against the real `sozu start` on its default configuration, one worker: while each runs
/// (15 s), a probe opens a new connection every second and must get 200 within 1 s; no worker
/// may be restarted; the proxy's counters must show the attack arrived. The probe asks another
/// cluster with its own origin, on a thread of its own with blocking sockets, and both origins
/// run in processes of their own: what it measures is the proxy. With the origins in this
/// process, its 500 × 3 MiB for the slow readers delayed even the probe's connect past 1 s
/// (the runtime's socket engine was busy with them) while curl from outside saw 200 in 0.8 s. The short form of the
/// measurement in docs/benchmarks.md ("Hostile clients", scripts/bench-slow-clients.sh).
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const int AttackSeconds = 15;

    private static readonly string? SlowHttpTest = ExternalTool.Find("/usr/bin/slowhttptest");

    [Fact(Timeout = 180_000)]
    public Task Slowloris_ThousandConnections_ServiceStaysAvailable() =>
        RunAsync("slowloris", "/", ["-H", "-c", "1000", "-r", "200", "-i", "10", "-x", "24"], (metrics, accepted) =>
        {
            Assert.True(accepted >= 500, $"only {accepted} connections reached the proxy");
            // 1,000 incomplete heads from one IP: the per-IP cap (64) refused the rest.
            Assert.True(metrics.Proxy.HeadsRefusedPerIp > 0, "no incomplete head was refused over the per-IP cap");
        });

    [Fact(Timeout = 180_000)]
    public Task SlowBody_FiveHundredConnections_ServiceStaysAvailable() =>
        RunAsync("slow body", "/", ["-B", "-c", "500", "-r", "200", "-i", "5", "-x", "24", "-s", "8192"], (metrics, accepted) =>
            Assert.True(accepted >= 250, $"only {accepted} connections reached the proxy"));

    [Fact(Timeout = 180_000)]
    public Task Range_FiveHundredConnections_ServiceStaysAvailable() =>
        RunAsync("range", "/", ["-R", "-c", "500", "-r", "200", "-a", "5", "-b", "2000"], (metrics, accepted) =>
            Assert.True(accepted >= 250, $"only {accepted} connections reached the proxy"));

    [Fact(Timeout = 180_000)]
    public Task SlowRead_FiveHundredConnections_ServiceStaysAvailable() =>
        RunAsync("slow read", "/big", ["-X", "-c", "500", "-r", "200", "-w", "10", "-y", "20", "-n", "5", "-z", "32", "-k", "3"], (metrics, accepted) =>
        {
            Assert.True(accepted >= 250, $"only {accepted} connections reached the proxy");
            // Each slow reader holds a response buffer while its socket is full.
            Assert.True(metrics.Proxy.BuffersPeak >= 50, $"buffer peak {metrics.Proxy.BuffersPeak}: the slow readers did not hold responses");
        });

    private async Task RunAsync(string mode, string path, string[] attack, Action<MetricsContent, long> attackArrived)
    {
        Assert.True(SlowHttpTest is not null, "slowhttptest is not installed (scripts/setup.sh installs it)");
        using var backend = new PythonOrigin();
        using var probeBackend = new PythonOrigin();
        using var host = new SozuHost();
        host.WriteConfig($$"""
            [clusters.app]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "127.0.0.1" }]
            backends = [{ address = "{{backend.Address}}", backend_id = "app-0" }]

            [clusters.probe]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "probe.test" }]
            backends = [{ address = "{{probeBackend.Address}}", backend_id = "probe-0" }]
            """);
        await host.StartAsync();
        var before = await WorkerPidsAsync(host);

        string[] arguments =
        [
            .. attack, "-l", AttackSeconds.ToString(CultureInfo.InvariantCulture), "-p", "3",
            "-u", $"http://127.0.0.1:{host.ListenerPort}{path}",
        ];
        var tool = ExternalTool.RunAsync(SlowHttpTest!, arguments, TimeSpan.FromSeconds(AttackSeconds + 60));
        // Let the attack open its connections before the first probe.
        await Task.Delay(TimeSpan.FromSeconds(3));
        // One probe a second for the attack's length (a count, not a condition: slowhttptest
        // itself ends early once the proxy has closed all its connections).
        const int ProbeCount = AttackSeconds - 3;
        var failures = await Task.Factory.StartNew(() => Probe(host.ListenerPort, ProbeCount), TaskCreationOptions.LongRunning);
        var probes = ProbeCount;
        var result = await tool;
        var metrics = (MetricsContent)(await host.ExecuteAsync(new QueryMetrics())).Content!;
        var after = await WorkerPidsAsync(host);
        output.WriteLine($"{mode}: {probes} probes, {failures.Count} failed; accepted {metrics.Proxy.Traffic.ConnectionsAccepted}, " +
            $"buffer peak {metrics.Proxy.BuffersPeak}, heads refused per IP {metrics.Proxy.HeadsRefusedPerIp}, evicted {metrics.Proxy.HeadsEvicted}");
        output.WriteLine(Tail(result.Output, 1500));

        Assert.True(failures.Count == 0, $"{mode}: {failures.Count} of {probes} probes failed:\n{string.Join('\n', failures)}");
        Assert.Equal(before, after);
        attackArrived(metrics, metrics.Proxy.Traffic.ConnectionsAccepted);
    }

    /// <summary><paramref name="count"/> probes a second apart; what failed, with when and why.</summary>
    private static List<string> Probe(int port, int count)
    {
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = clock.Elapsed;
            var failure = ProbeOnce(port, TimeSpan.FromSeconds(1));
            if (failure is not null)
            {
                failures.Add($"{started.TotalSeconds:F1} s: {failure}");
            }
            var rest = TimeSpan.FromSeconds(i + 1) - clock.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                Thread.Sleep(rest);
            }
        }
        return failures;
    }

    /// <summary>One GET on a new connection with blocking sockets; null when 200 came within <paramref name="limit"/>.</summary>
    private static string? ProbeOnce(int port, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            var connect = socket.BeginConnect(System.Net.IPAddress.Loopback, port, null, null);
            if (!connect.AsyncWaitHandle.WaitOne(limit))
            {
                return "connect timed out";
            }
            socket.EndConnect(connect);
            socket.Send("GET / HTTP/1.1\r\nHost: probe.test\r\nConnection: close\r\n\r\n"u8);
            var received = new List<byte>();
            var chunk = new byte[4096];
            while (true)
            {
                var left = limit - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return $"no full answer within {limit.TotalSeconds} s: '{System.Text.Encoding.ASCII.GetString([.. received])}'";
                }
                socket.ReceiveTimeout = Math.Max(1, (int)left.TotalMilliseconds);
                var read = socket.Receive(chunk);
                if (read == 0)
                {
                    break;
                }
                received.AddRange(chunk.AsSpan(0, read));
            }
            var text = System.Text.Encoding.ASCII.GetString([.. received]);
            return text.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) ? null : $"answer '{text}'";
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return $"{e.SocketErrorCode} after {clock.ElapsedMilliseconds} ms";
        }
    }

    private static async Task<string> WorkerPidsAsync(SozuHost host)
    {
        var workers = (WorkersContent)(await host.ExecuteAsync(new ListWorkers())).Content!;
        return string.Join(',', workers.Workers.Where(w => w.State == "running").Select(w => $"{w.Id}:{w.Pid}"));
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
