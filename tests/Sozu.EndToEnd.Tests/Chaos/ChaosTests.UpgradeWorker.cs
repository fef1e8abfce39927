using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>upgrade_worker of each worker in turn under load: nothing fails, each old worker drains and exits.</summary>
public sealed partial class ChaosTests
{
    /// <summary>soft_stop_timeout of the drain scenarios: an old worker still there after it was cut off.</summary>
    private const int DrainDeadlineSeconds = 10;

    [Fact]
    public async Task Upgrade_worker_of_each_worker_in_turn_under_load_fails_nothing()
    {
        using var rig = await StartAsync($"soft_stop_timeout = {DrainDeadlineSeconds}");
        await using var load = rig.StartLoad();
        await load.WaitForMoreAsync(150);
        var logFrom = rig.Proxy.Output.Length;
        var origin = load.Now;
        var times = new List<string>();
        foreach (var id in (int[])[0, 1])
        {
            int old;
            await using (var client = await ConnectAsync(rig.Proxy))
            {
                old = (await WaitForRunningAsync(client, 2)).Single(w => w.Id == id).Pid;
            }
            var upgradeAt = load.Now;
            // A new process starts and syncs before the answer: seconds on a loaded 2-core machine.
            await using (var patient = await SozuClient.ConnectAsync(rig.Proxy.SocketDirectory, timeout: StartLimit))
            {
                var answer = await patient.SendAsync(new UpgradeWorker(id));
                Assert.True(answer.Status == AnswerStatus.Ok, answer.Message + "\n" + rig.Proxy.Output);
            }
            var readyAt = load.Now;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(DrainDeadlineSeconds + 10);
            while (ProxyProcess.IsAlive(old) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
            var exitedAt = load.Now;
            Assert.False(ProxyProcess.IsAlive(old), $"worker {id}'s old process {old} still runs\n{rig.Proxy.Output}");
            times.Add($"worker {id} (old pid {old}): answered {Ms(readyAt - upgradeAt)} ms, old exited {Ms(exitedAt - readyAt)} ms after");
            await load.WaitForMoreAsync(100);
        }
        await load.StopAsync();

        var outcomes = load.Outcomes;
        Log("upgrade_worker 0 then 1", outcomes, string.Join("; ", times));
        var failed = outcomes.Where(o => o.Failed).ToList();
        LogFailures(failed, origin);
        LogProxy(rig.Proxy, logFrom);
        Assert.Empty(failed);
    }
}
