using System.Diagnostics;
using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.ControlPlane;

/// <summary>upgrade_main: a new supervisor process replaces the running one while the workers serve on.</summary>
public sealed partial class ControlPlaneTests
{
    private static async Task<int> SupervisorPid(SozuClient client)
    {
        var answer = await client.SendAsync(new Status());
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        return Assert.IsType<StatusContent>(answer.Content).SupervisorPid;
    }

    [Fact]
    public async Task Upgrade_main_replaces_the_supervisor_keeps_the_workers_and_the_runtime_state_and_the_new_one_supervises()
    {
        using var one = new TestBackend("one");
        using var two = new TestBackend("two");
        using var proxy = ProxyProcess.Start("app.test", one.Address);
        var port = proxy.ListenerPort;
        Assert.True(await HttpProbe.WaitForAsync(port, "app.test", "one", StartLimit), proxy.Output);

        List<int> workers;
        int oldSupervisor;
        await using (var client = await Connect(proxy))
        {
            workers = (await WaitForRunning(client, 2)).Where(w => w.State == "running").Select(w => w.Pid).Order().ToList();
            Assert.Equal(2, workers.Count);
            oldSupervisor = await SupervisorPid(client);
            Assert.Equal(proxy.SupervisorPid, oldSupervisor);
            // A cluster added at runtime: only the live state has it, not the configuration file.
            foreach (var request in new Request[]
            {
                new AddCluster(new Cluster { ClusterId = "two" }),
                new AddBackend(new Backend { ClusterId = "two", BackendId = "two-0", Address = two.Address }),
                new AddHttpFrontend(new HttpFrontend { ClusterId = "two", Address = $"127.0.0.1:{port}", Hostname = "two.test" }),
            })
            {
                var answer = await client.SendAsync(request);
                Assert.Equal((AnswerStatus.Ok, ""), (answer.Status, answer.Message));
            }
        }
        Assert.Equal((200, "two"), await HttpProbe.GetAsync(port, "two.test", TimeSpan.FromSeconds(5)));

        // Clients during the whole upgrade: keep-alive connections and a loop of new connections.
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var served = 0;
        var keepAlive = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            using var connection = new HttpConnection(port);
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(90); i++)
            {
                try
                {
                    var answer = await connection.GetAsync("app.test");
                    if (answer != (200, "one"))
                    {
                        lock (errors) { errors.Add($"keep-alive: {answer}"); }
                    }
                    Interlocked.Increment(ref served);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException or FormatException or IndexOutOfRangeException)
                {
                    lock (errors) { errors.Add("keep-alive: " + e.Message); }
                    return;
                }
            }
        })).ToArray();
        var fresh = Task.Run(async () =>
        {
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(90); i++)
            {
                var host = i % 2 == 0 ? "app.test" : "two.test";
                var answer = await HttpProbe.GetAsync(port, host, TimeSpan.FromSeconds(5));
                if (answer != (200, host == "app.test" ? "one" : "two"))
                {
                    lock (errors) { errors.Add($"new connection to {host}: {answer}"); }
                }
                Interlocked.Increment(ref served);
            }
        });

        await Task.Delay(500);
        Answer upgraded;
        var upgradeStarted = clock.Elapsed;
        // The new process boots (runtime, configuration, state) before the answer: seconds on a busy machine.
        await using (var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: StartLimit))
        {
            upgraded = await client.SendAsync(new UpgradeMain());
        }
        var answeredAt = clock.Elapsed;
        Assert.True(upgraded.Status == AnswerStatus.Ok, upgraded.Message + "\n" + proxy.Output);

        // A different supervisor answers on the same command socket.
        var newSupervisor = 0;
        var deadline = DateTime.UtcNow + StartLimit;
        while (newSupervisor == 0 && DateTime.UtcNow < deadline)
        {
            try
            {
                await using var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: TimeSpan.FromSeconds(5));
                // The old one may still answer (or refuse) for a moment while it goes.
                var status = await client.SendAsync(new Status());
                if (status.Content is StatusContent content && content.SupervisorPid != oldSupervisor)
                {
                    newSupervisor = content.SupervisorPid;
                }
                else
                {
                    output.WriteLine($"status at {clock.Elapsed.TotalMilliseconds:0} ms: {status.Status} {status.Message}");
                    await Task.Delay(100);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                await Task.Delay(100);
            }
        }
        Assert.NotEqual(0, newSupervisor);
        proxy.AddSuccessor(newSupervisor);
        var servingAt = clock.Elapsed;
        Assert.True(ProxyProcess.IsAlive(newSupervisor));
        Assert.False(ProxyProcess.IsAlive(oldSupervisor), "the old supervisor still runs");

        await using (var client = await Connect(proxy))
        {
            var adopted = await WaitForRunning(client, 2);
            Assert.Equal(workers, adopted.Where(w => w.State == "running").Select(w => w.Pid).Order());
        }
        Assert.Equal((200, "two"), await HttpProbe.GetAsync(port, "two.test", TimeSpan.FromSeconds(5)));
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll([.. keepAlive, fresh]);
        output.WriteLine($"upgrade_main answered Ok after {(answeredAt - upgradeStarted).TotalMilliseconds:0} ms ({upgraded.Message}); " +
            $"new supervisor {newSupervisor} answering status after {(servingAt - upgradeStarted).TotalMilliseconds:0} ms; {served} requests served meanwhile, {errors.Count} errors");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(10)));

        // The new supervisor supervises: a killed worker is replaced.
        ProxyProcess.Kill(workers[0]);
        await using (var client = await Connect(proxy))
        {
            var replaced = await WaitForRunning(client, 2, ws => ws.All(w => w.Pid != workers[0]));
            Assert.True(replaced.Count(w => w.State == "running" && w.Pid != workers[0]) == 2, proxy.Output);
            Assert.Equal(newSupervisor, await SupervisorPid(client));
        }
        Assert.Equal((200, "two"), await HttpProbe.GetAsync(port, "two.test", TimeSpan.FromSeconds(5)));
        Assert.Equal((200, "one"), await HttpProbe.GetAsync(port, "app.test", TimeSpan.FromSeconds(5)));
    }
}
