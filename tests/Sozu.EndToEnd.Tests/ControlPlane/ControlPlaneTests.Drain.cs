using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.ControlPlane;

/// <summary>Soft stop of an upgraded worker under load: it drains, losing nothing.</summary>
public sealed partial class ControlPlaneTests
{
    /// <summary>soft_stop_timeout of these tests: an exit "well before the deadline" is one far below it.</summary>
    private const int DrainDeadlineSeconds = 20;

    [Fact]
    public async Task Upgrade_worker_under_keep_alive_and_new_connection_load_loses_no_request_and_the_old_worker_exits_before_its_deadline()
    {
        using var backend = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", backend.Address, extraGlobal: $"soft_stop_timeout = {DrainDeadlineSeconds}");
        Assert.True(await HttpProbe.WaitForAsync(proxy.ListenerPort, "app.test", "one", StartLimit), proxy.Output);
        await using var client = await Connect(proxy);
        var workers = await WaitForRunning(client, 2);
        var old = workers.Single(w => w.Id == 0).Pid;

        await using var load = TrafficLoad.Start(proxy.ListenerPort, "app.test", keepAliveClients: 8, maxRequests: 20_000);
        await WaitForCount(load, 100);
        // Connections accepted before the upgrade whose request comes after the old worker was told
        // to stop (a slow client, or one the loaded machine delays): each one is served.
        // Kept only when the old worker accepted them (the shared queue gives each to either worker).
        var slow = new List<HttpConnection>();
        for (var i = 0; i < 200 && slow.Count < 6; i++)
        {
            var connection = new HttpConnection(proxy.ListenerPort);
            var owner = 0;
            for (var wait = 0; wait < 100 && owner == 0; wait++)
            {
                owner = SocketOwners.OwnerOf(proxy.ListenerPort, connection.LocalPort, proxy.WorkerPids());
                if (owner == 0)
                {
                    await Task.Delay(10);
                }
            }
            if (owner == old)
            {
                slow.Add(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
        Assert.NotEmpty(slow);
        var upgradeAt = load.Now;
        // A new process starts and syncs before the answer: seconds on a loaded 2-core machine.
        await using var patient = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: StartLimit);
        var answer = await patient.SendAsync(new UpgradeWorker(0));
        Assert.True(answer.Status == AnswerStatus.Ok, answer.Message + "\n" + proxy.Output);
        var readyAt = load.Now;
        var slowFailed = new List<string>();
        foreach (var connection in slow)
        {
            try
            {
                var (status, _) = await connection.GetAsync("app.test");
                if (status != 200)
                {
                    slowFailed.Add(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                slowFailed.Add(e.Message);
            }
            connection.Dispose();
        }
        var exitDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(DrainDeadlineSeconds + 10);
        while (ProxyProcess.IsAlive(old) && DateTime.UtcNow < exitDeadline)
        {
            await Task.Delay(20);
        }
        var exitedAt = load.Now;
        Assert.False(ProxyProcess.IsAlive(old), "the old worker still runs\n" + proxy.Output);
        var countAtExit = load.Count;
        await WaitForCount(load, countAtExit + 100);
        await load.StopAsync();

        var outcomes = load.Outcomes;
        var failed = outcomes.Where(o => o.Status != 200).ToList();
        output.WriteLine($"upgrade_worker 0 under load: {outcomes.Count} requests ({outcomes.Count(o => o.KeepAlive)} keep-alive, {outcomes.Count(o => !o.KeepAlive)} new connections), " +
            $"{failed.Count} failed; new worker ready {(readyAt - upgradeAt).TotalMilliseconds:0} ms after the request, old worker (pid {old}) exited " +
            $"{(exitedAt - readyAt).TotalMilliseconds:0} ms after that (deadline {DrainDeadlineSeconds} s); " +
            $"connections opened before the upgrade, request sent after it: {slow.Count - slowFailed.Count} served, {slowFailed.Count} failed ({string.Join("; ", slowFailed)})");
        foreach (var failure in failed.Take(10))
        {
            output.WriteLine($"  failed at +{(failure.StartedAt - upgradeAt).TotalMilliseconds:0} ms ({(failure.KeepAlive ? "keep-alive" : "new connection")}): {failure.Status} {failure.Error}");
        }
        Assert.Empty(failed);
        Assert.Empty(slowFailed);
        Assert.True(exitedAt - readyAt < TimeSpan.FromSeconds(DrainDeadlineSeconds / 2), "the old worker waited for its deadline\n" + proxy.Output);
    }

    // soft_stop under load: tests/Sozu.EndToEnd.Tests/Chaos/ChaosTests.SoftStop.cs (HTTP and TCP,
    // refused during the drain and after the exit).

    private static async Task WaitForCount(TrafficLoad load, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (load.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
