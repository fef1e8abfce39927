using System.Diagnostics;
using System.Globalization;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Hostile;

/// <summary>
/// The four slowhttptest attacks (Debian package slowhttptest, installed by scripts/setup.sh)
/// against the real `sozu start` on its default configuration, one worker: while each runs
/// (15 s), a probe opens a new connection every second and must get 200 within 1 s; no worker
/// may be restarted; the proxy's counters must show the attack arrived. The short form of the
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
        using var backend = new BodyReadingBackend();
        using var host = new SozuHost();
        host.WriteConfig($$"""
            [clusters.app]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "127.0.0.1" }]
            backends = [{ address = "{{backend.Address}}", backend_id = "app-0" }]
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
        var failures = new List<string>();
        var probes = 0;
        var clock = Stopwatch.StartNew();
        // One probe a second while the attack runs: bounded by its length, and by a count.
        while (!tool.IsCompleted && probes < AttackSeconds + 10)
        {
            var started = clock.Elapsed;
            var (status, body) = await HttpProbe.GetAsync(host.ListenerPort, "127.0.0.1", TimeSpan.FromSeconds(1));
            probes++;
            if (status != 200)
            {
                failures.Add($"{started.TotalSeconds:F1} s: {status} {body}");
            }
            var rest = TimeSpan.FromSeconds(probes) - clock.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }
        var result = await tool;
        var metrics = (MetricsContent)(await host.ExecuteAsync(new QueryMetrics())).Content!;
        var after = await WorkerPidsAsync(host);
        output.WriteLine($"{mode}: {probes} probes, {failures.Count} failed; accepted {metrics.Proxy.Traffic.ConnectionsAccepted}, " +
            $"buffer peak {metrics.Proxy.BuffersPeak}, heads refused per IP {metrics.Proxy.HeadsRefusedPerIp}, evicted {metrics.Proxy.HeadsEvicted}");
        output.WriteLine(Tail(result.Output, 1500));

        Assert.True(probes >= AttackSeconds - 5, $"only {probes} probes ran: slowhttptest ended early:\n{result.Output}");
        Assert.True(failures.Count == 0, $"{mode}: {failures.Count} of {probes} probes failed:\n{string.Join('\n', failures)}");
        Assert.Equal(before, after);
        attackArrived(metrics, metrics.Proxy.Traffic.ConnectionsAccepted);
    }

    private static async Task<string> WorkerPidsAsync(SozuHost host)
    {
        var workers = (WorkersContent)(await host.ExecuteAsync(new ListWorkers())).Content!;
        return string.Join(',', workers.Workers.Where(w => w.State == "running").Select(w => $"{w.Id}:{w.Pid}"));
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
