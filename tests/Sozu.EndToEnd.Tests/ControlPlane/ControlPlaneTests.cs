using System.Diagnostics;
using System.Text.RegularExpressions;
using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.ControlPlane;

/// <summary>
/// The real `sozu start` with real `sozu-worker` processes, real backends and clients on
/// 127.0.0.1. Every wait is bounded; every process ended is one this test started.
/// </summary>
public sealed partial class ControlPlaneTests(ITestOutputHelper output)
{
    /// <summary>Start-up of three .NET processes on a shared 2-core machine, JIT included.</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private static async Task<IReadOnlyList<WorkerInfo>> Workers(SozuClient client)
    {
        var answer = await client.SendAsync(new ListWorkers());
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        return Assert.IsType<WorkersContent>(answer.Content).Workers;
    }

    private static async Task<SozuClient> Connect(ProxyProcess proxy)
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
                await Task.Delay(200);
            }
        }
    }

    private static async Task<IReadOnlyList<WorkerInfo>> WaitForRunning(SozuClient client, int count, Func<IReadOnlyList<WorkerInfo>, bool>? also = null)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            var workers = await Workers(client);
            if ((workers.Count(w => w.State == "running") == count && (also is null || also(workers))) || DateTime.UtcNow > deadline)
            {
                return workers;
            }
            await Task.Delay(20);
        }
    }

    private static int FreePortOf()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Two_workers_serve_a_client_reconfigures_both_and_a_killed_worker_is_replaced_with_the_current_configuration()
    {
        using var one = new TestBackend("one");
        using var two = new TestBackend("two");
        using var proxy = ProxyProcess.Start("app.test", one.Address);
        var port = proxy.ListenerPort;

        Assert.True(await HttpProbe.WaitForAsync(port, "app.test", "one", StartLimit), proxy.Output);
        await using var client = await Connect(proxy);
        var workers = await WaitForRunning(client, 2);
        Assert.Equal(2, workers.Count(w => w.State == "running"));
        Assert.Subset(proxy.WorkerPids().ToHashSet(), workers.Select(w => w.Pid).ToHashSet());

        // The socket directory is private; no ActorSystem listens on TCP: the only listening
        // TCP socket of our processes is the proxy's own listener, opened once by the supervisor
        // and shared by every worker (one socket, one accept queue).
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(proxy.SocketDirectory));
        var listening = ListeningSockets.PortsOf([proxy.SupervisorPid, .. proxy.WorkerPids()]);
        Assert.Equal([port], listening);

        // A request through the .NET client reconfigures both workers.
        Request[] change =
        [
            new AddCluster(new Cluster { ClusterId = "two" }),
            new AddBackend(new Backend { ClusterId = "two", BackendId = "two-0", Address = two.Address }),
            new AddHttpFrontend(new HttpFrontend { ClusterId = "two", Address = $"127.0.0.1:{port}", Hostname = "two.test" }),
        ];
        foreach (var request in change)
        {
            var answer = await client.SendAsync(request);
            Assert.Equal((AnswerStatus.Ok, ""), (answer.Status, answer.Message));
        }
        // A listener added at runtime is shared too: the workers fetch the supervisor's socket (SCM_RIGHTS).
        var added = FreePortOf();
        foreach (var request in new Request[]
        {
            new AddHttpListener(new HttpListenerConfig { Address = $"127.0.0.1:{added}" }),
            new ActivateListener($"127.0.0.1:{added}", ListenerProtocol.Http),
        })
        {
            var answer = await client.SendAsync(request);
            Assert.Equal((AnswerStatus.Ok, ""), (answer.Status, answer.Message));
        }
        Assert.Equal(new[] { port, added }.Order(), ListeningSockets.PortsOf([proxy.SupervisorPid, .. proxy.WorkerPids()]).Order());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((200, "two"), await HttpProbe.GetAsync(port, "two.test", TimeSpan.FromSeconds(5)));
        }

        // kill -9 one worker while a client loop opens new connections.
        var victim = workers[0];
        using var loopStop = new CancellationTokenSource();
        var outcomes = new List<(TimeSpan At, int Status)>();
        var clock = Stopwatch.StartNew();
        var loop = Task.Run(async () =>
        {
            while (!loopStop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                var (status, _) = await HttpProbe.GetAsync(port, "two.test", TimeSpan.FromSeconds(2));
                lock (outcomes)
                {
                    outcomes.Add((clock.Elapsed, status));
                }
            }
        });
        await Task.Delay(300);
        var killedAt = clock.Elapsed;
        ProxyProcess.Kill(victim.Pid);
        var replaced = await WaitForRunning(client, 2, ws => ws.All(w => w.Pid != victim.Pid));
        var readyAt = clock.Elapsed;
        await Task.Delay(500);
        await loopStop.CancelAsync();
        await loop;

        Assert.Equal(2, replaced.Count(w => w.State == "running"));
        Assert.DoesNotContain(replaced, w => w.Pid == victim.Pid);
        var failures = outcomes.Count(o => o.Status != 200);
        output.WriteLine($"kill -9 of worker {victim.Id} (pid {victim.Pid}) → replacement running after {(readyAt - killedAt).TotalMilliseconds:0} ms; " +
            $"client loop: {outcomes.Count} new connections, {failures} failed (on the killed worker), " +
            $"first failure at +{outcomes.Where(o => o.Status != 200).Select(o => (o.At - killedAt).TotalMilliseconds).DefaultIfEmpty(0).First():0} ms");
        // The other worker never stopped serving: at most the connections the dying worker held fail.
        Assert.True(failures <= 3, $"{failures} failures");

        // The new worker has the current configuration, including the change made through the client.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((200, "two"), await HttpProbe.GetAsync(port, "two.test", TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public async Task Workers_keep_serving_when_the_supervisor_is_killed()
    {
        using var backend = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", backend.Address);
        var port = proxy.ListenerPort;
        Assert.True(await HttpProbe.WaitForAsync(port, "app.test", "one", StartLimit), proxy.Output);
        List<int> workers;
        await using (var client = await Connect(proxy))
        {
            workers = (await WaitForRunning(client, 2)).Select(w => w.Pid).ToList();
        }
        Assert.Equal(2, workers.Count);

        proxy.KillSupervisor();

        var clock = Stopwatch.StartNew();
        var served = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            Assert.Equal((200, "one"), await HttpProbe.GetAsync(port, "app.test", TimeSpan.FromSeconds(5)));
            served++;
        }
        Assert.All(workers, pid => Assert.True(ProxyProcess.IsAlive(pid), $"worker {pid} died"));
        output.WriteLine($"{served} requests served in the 3 s after the supervisor's SIGKILL");
    }

    [Fact]
    public async Task A_new_supervisor_adopts_the_workers_the_killed_one_left_serving()
    {
        using var backend = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", backend.Address);
        var port = proxy.ListenerPort;
        Assert.True(await HttpProbe.WaitForAsync(port, "app.test", "one", StartLimit), proxy.Output);
        List<int> workers;
        await using (var client = await Connect(proxy))
        {
            workers = (await WaitForRunning(client, 2)).Select(w => w.Pid).ToList();
        }

        proxy.KillSupervisor();
        var restartedAt = proxy.Output.Length;
        proxy.StartNewSupervisor();

        await using (var client = await Connect(proxy))
        {
            var adopted = await WaitForRunning(client, 2);
            Assert.Equal(workers.Order(), adopted.Where(w => w.State == "running").Select(w => w.Pid).Order());
        }
        // Adopted, not replaced: found by the slot's probe ("adopting it") or by the worker's own
        // renewed hello, whichever came first; no worker process was started in their place.
        Assert.DoesNotContain(": started process", proxy.Output[restartedAt..], StringComparison.Ordinal);
        Assert.Equal((200, "one"), await HttpProbe.GetAsync(port, "app.test", TimeSpan.FromSeconds(5)));
        Assert.All(workers, pid => Assert.True(ProxyProcess.IsAlive(pid), $"worker {pid} died"));

        // An adopted worker is not the new supervisor's child: its death is seen through a pidfd,
        // not after DeathWatch's seconds, and it is replaced.
        var before = proxy.Output.Length;
        var clock = Stopwatch.StartNew();
        ProxyProcess.Kill(workers[0]);
        while (!proxy.Output[before..].Contains(" died: ", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }
        var seen = clock.Elapsed;
        var died = proxy.Output[before..].Split('\n').FirstOrDefault(l => l.Contains(" died: ", StringComparison.Ordinal)) ?? "";
        output.WriteLine($"kill -9 of adopted worker {workers[0]} seen by the new supervisor after {seen.TotalMilliseconds:0} ms: {died.Trim()}");
        Assert.Contains("its process exited (seen by pidfd)", died, StringComparison.Ordinal);
        await using (var client = await Connect(proxy))
        {
            var replaced = await WaitForRunning(client, 2, ws => ws.All(w => w.Pid != workers[0]));
            Assert.True(replaced.Count(w => w.State == "running") == 2, proxy.Output[restartedAt..]);
        }
        Assert.Equal((200, "one"), await HttpProbe.GetAsync(port, "app.test", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_worker_dying_at_start_up_is_restarted_with_a_growing_back_off_not_spun()
    {
        using var backend = new TestBackend("one");
        var crash = new Dictionary<string, string> { ["SOZU_WORKER_CRASH_AT_START"] = "1" };
        using var proxy = ProxyProcess.Start("app.test", backend.Address, workers: 1, environment: crash);

        // 200 + 400 + 800 + 1600 ms (± 20 %): about five starts in 6 s once the supervisor is up.
        var deadline = DateTime.UtcNow + StartLimit;
        while (RestartLine().Count(proxy.Output) < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Task.Delay(2000);

        var restarts = RestartLine().Matches(proxy.Output).Select(m => (Delay: int.Parse(m.Groups[1].Value), Crash: int.Parse(m.Groups[2].Value))).ToList();
        output.WriteLine(string.Join(", ", restarts.Select(r => $"crash {r.Crash}: {r.Delay} ms")));
        Assert.InRange(restarts.Count, 4, 8);
        for (var i = 1; i < restarts.Count; i++)
        {
            Assert.Equal(restarts[i - 1].Crash + 1, restarts[i].Crash);
            Assert.True(restarts[i].Delay > restarts[i - 1].Delay, $"{restarts[i].Delay} after {restarts[i - 1].Delay}");
        }
    }

    [GeneratedRegex(@"worker 0: restarting in (\d+) ms \(crash (\d+) in a row\)")]
    private static partial Regex RestartLine();
}
