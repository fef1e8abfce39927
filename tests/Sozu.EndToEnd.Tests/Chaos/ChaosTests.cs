using System.Globalization;
using System.Text.RegularExpressions;
using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>
/// The chaos test of issue 12: continuous load (keep-alive HTTP, new-connection HTTP, TCP)
/// through the real `sozu start` with 2 workers and their standbys, while one thing an operator
/// (or the machine) does happens; every request is counted, and each scenario asserts its bound.
/// Each scenario is bounded: a few seconds of load around the event (the proxy's start-up is
/// most of a scenario's time on a shared machine). Every process ended is one the test started.
/// </summary>
public sealed partial class ChaosTests(ITestOutputHelper output)
{
    private const string Host = "app.test";
    private const string Body = "one";

    /// <summary>Start-up of three or more .NET processes on a shared 2-core machine, JIT included.</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    /// <summary>No client loop starts a request after this: a scenario that hangs still ends.</summary>
    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(90);

    /// <summary>Keep-alive clients of the load (plus one new-connection loop and one TCP loop): about 300 requests/s here.</summary>
    private const int KeepAliveClients = 4;

    /// <summary>A proxy, its two backends and the TCP listener's port; disposing ends everything this scenario started.</summary>
    private sealed class Rig(TestBackend http, EchoBackend echo, ProxyProcess proxy, int tcpPort) : IDisposable
    {
        public ProxyProcess Proxy => proxy;

        public int HttpPort => proxy.ListenerPort;

        public int TcpPort => tcpPort;

        public ChaosLoad StartLoad() => ChaosLoad.Start(HttpPort, TcpPort, Host, Body, KeepAliveClients, LoadLimit);

        public void Dispose()
        {
            proxy.Dispose();
            echo.Dispose();
            http.Dispose();
        }
    }

    /// <summary>`sozu start` with 2 workers: an HTTP listener (Host → "one") and a TCP listener (→ an echo backend); returns once both serve and both standbys are ready.</summary>
    private async Task<Rig> StartAsync(string extraGlobal = "")
    {
        var http = new TestBackend(Body);
        var echo = new EchoBackend();
        var tcpPort = FreePort.Tcp();
        var proxy = ProxyProcess.Start(Host, http.Address, workers: 2, extraGlobal: extraGlobal, extraConfig: $$"""
            [[listeners]]
            protocol = "tcp"
            address = "127.0.0.1:{{tcpPort}}"

            [clusters.echo]
            protocol = "tcp"
            frontends = [ { address = "127.0.0.1:{{tcpPort}}" } ]
            backends = [ { address = "{{echo.Address}}" } ]
            """);
        var rig = new Rig(http, echo, proxy, tcpPort);
        try
        {
            Assert.True(await HttpProbe.WaitForAsync(rig.HttpPort, Host, Body, StartLimit), proxy.Output);
            await using (var client = await ConnectAsync(proxy))
            {
                var workers = await WaitForRunningAsync(client, 2);
                Assert.True(workers.Count(w => w.State == "running") == 2, proxy.Output);
            }
            foreach (var id in (int[])[0, 1])
            {
                var deadline = DateTime.UtcNow + StartLimit;
                while (!StandbyReady(id).IsMatch(proxy.Output) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
                Assert.True(StandbyReady(id).IsMatch(proxy.Output), "no standby for worker " + id + "\n" + proxy.Output);
            }
            // A start-up that was not clean (a worker or standby that died and was restarted) is
            // logged, not failed: the scenario still runs, and the lines are the evidence.
            var lines = proxy.Output.Split('\n');
            if (lines.Any(l => l.Contains(" died: ", StringComparison.Ordinal) || l.Contains("restarting in", StringComparison.Ordinal) || l.Contains(" ERR ", StringComparison.Ordinal)))
            {
                foreach (var line in lines.Where(l => ProcessLine().IsMatch(l) || l.Contains("remoting", StringComparison.OrdinalIgnoreCase)).Take(120))
                {
                    output.WriteLine("[chaos] start-up: " + line.TrimEnd());
                }
            }
            return rig;
        }
        catch
        {
            rig.Dispose();
            throw;
        }
    }

    private static Regex StandbyReady(int workerId) =>
        new($@"worker {workerId}: standby process \d+ is ready to take over", RegexOptions.CultureInvariant);

    private static async Task<SozuClient> ConnectAsync(ProxyProcess proxy)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            try
            {
                return await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<IReadOnlyList<WorkerInfo>> WorkersAsync(SozuClient client)
    {
        var answer = await client.SendAsync(new ListWorkers());
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        return Assert.IsType<WorkersContent>(answer.Content).Workers;
    }

    /// <summary>Polls list_workers until <paramref name="count"/> run (and <paramref name="also"/> holds), or the start limit; returns the last list.</summary>
    private static async Task<IReadOnlyList<WorkerInfo>> WaitForRunningAsync(SozuClient client, int count, Func<IReadOnlyList<WorkerInfo>, bool>? also = null)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            var workers = await WorkersAsync(client);
            if ((workers.Count(w => w.State == "running") == count && (also is null || also(workers))) || DateTime.UtcNow > deadline)
            {
                return workers;
            }
            await Task.Delay(5);
        }
    }

    private static List<int> RunningPids(IReadOnlyList<WorkerInfo> workers) =>
        [.. workers.Where(w => w.State == "running").Select(w => w.Pid).Order()];

    /// <summary>The supervisor answering on the socket directory now, once it is not <paramref name="not"/> (bounded).</summary>
    private static async Task<int> SupervisorOtherThanAsync(ProxyProcess proxy, int not)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: TimeSpan.FromSeconds(5));
                var status = await client.SendAsync(new Status());
                if (status.Content is StatusContent content && content.SupervisorPid != not)
                {
                    return content.SupervisorPid;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
            }
            await Task.Delay(50);
        }
        return 0;
    }

    private void Log(string scenario, IReadOnlyList<ChaosLoad.Outcome> outcomes, string times)
    {
        output.WriteLine($"[chaos] {scenario}: {ChaosLoad.Summary(outcomes)}");
        output.WriteLine($"[chaos] {scenario}: {times}");
    }

    private void LogFailures(IEnumerable<ChaosLoad.Outcome> failures, TimeSpan origin)
    {
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine($"  failed #{failure.Id} {failure.Kind} port {failure.ClientPort} started {Ms(failure.StartedAt - origin)} ms, ended {Ms(failure.EndedAt - origin)} ms: {failure.Failure}");
        }
    }

    /// <summary>The proxy's lines about processes since <paramref name="from"/> (an offset in its output): the evidence beside the counts.</summary>
    private void LogProxy(ProxyProcess proxy, int from)
    {
        var lines = proxy.Output[from..].Split('\n').Where(l => ProcessLine().IsMatch(l)).ToList();
        foreach (var line in lines.Take(60))
        {
            output.WriteLine("  | " + line.TrimEnd());
        }
        if (lines.Count > 60)
        {
            output.WriteLine($"  | … {lines.Count - 60} more");
        }
    }

    [GeneratedRegex("worker|slot|standby|adopt|upgrade|supervisor|stop|died|hello|WRN|ERR", RegexOptions.CultureInvariant)]
    private static partial Regex ProcessLine();

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
