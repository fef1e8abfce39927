using Sozu.Actors.Client;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>upgrade_main under load, on an idle and on a loaded machine: nothing fails, the same workers are adopted.</summary>
public sealed partial class ChaosTests
{
    [Fact]
    public Task Upgrade_main_under_load_fails_nothing_and_the_new_supervisor_adopts_the_same_workers() => UpgradeMainAsync(hogs: 0);

    [Fact]
    public Task Upgrade_main_under_load_on_a_machine_loaded_by_a_cpu_hog_fails_nothing_and_adopts_the_same_workers() => UpgradeMainAsync(hogs: 2);

    private async Task UpgradeMainAsync(int hogs)
    {
        var scenario = hogs == 0 ? "upgrade_main" : $"upgrade_main with {hogs} busy processes";
        using var rig = await StartAsync();
        List<int> workers;
        int oldSupervisor;
        await using (var client = await ConnectAsync(rig.Proxy))
        {
            workers = RunningPids(await WaitForRunningAsync(client, 2));
            oldSupervisor = rig.Proxy.SupervisorPid;
        }
        _ = rig.Proxy.WorkerPids(); // remembers the old supervisor's workers and standbys for the clean-up

        await using var load = rig.StartLoad();
        await load.WaitForMoreAsync(150);
        using var hog = hogs > 0 ? new CpuHog(hogs) : null;
        var logFrom = rig.Proxy.Output.Length;
        var upgradeAt = load.Now;
        Answer upgraded;
        // The new process boots (runtime, configuration, state) before the answer: seconds on a busy machine.
        await using (var client = await SozuClient.ConnectAsync(rig.Proxy.SocketDirectory, timeout: StartLimit))
        {
            upgraded = await client.SendAsync(new UpgradeMain());
        }
        var answeredAt = load.Now;
        Assert.True(upgraded.Status == AnswerStatus.Ok, upgraded.Message + "\n" + rig.Proxy.Output);
        var newSupervisor = await SupervisorOtherThanAsync(rig.Proxy, oldSupervisor);
        Assert.NotEqual(0, newSupervisor);
        rig.Proxy.AddSuccessor(newSupervisor);
        var servingAt = load.Now;
        List<int> adopted;
        await using (var client = await ConnectAsync(rig.Proxy))
        {
            adopted = RunningPids(await WaitForRunningAsync(client, 2, ws => RunningPids(ws).SequenceEqual(workers)));
        }
        var adoptedAt = load.Now;
        await load.WaitForMoreAsync(150);
        hog?.Dispose();
        await load.StopAsync();

        var outcomes = load.Outcomes;
        Log(scenario, outcomes,
            $"supervisor {oldSupervisor} → {newSupervisor}; workers {string.Join(",", workers)} → list_workers {string.Join(",", adopted)}; " +
            $"upgrade_main answered {Ms(answeredAt - upgradeAt)} ms, new supervisor answers status {Ms(servingAt - upgradeAt)} ms, workers adopted {Ms(adoptedAt - upgradeAt)} ms");
        var failed = outcomes.Where(o => o.Failed).ToList();
        LogFailures(failed, upgradeAt);
        LogProxy(rig.Proxy, logFrom);
        Assert.Empty(failed);
        Assert.True(workers.SequenceEqual(adopted), $"workers {string.Join(",", workers)}, adopted {string.Join(",", adopted)}\n{rig.Proxy.Output}");
        Assert.False(Support.ProxyProcess.IsAlive(oldSupervisor), "the old supervisor still runs");
    }
}
