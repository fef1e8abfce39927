using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>kill -9 of the supervisor under load, then a new `sozu start`: nothing fails, the same workers are adopted.</summary>
public sealed partial class ChaosTests
{
    [Fact]
    public async Task Kill_9_of_the_supervisor_and_a_restart_under_load_fail_nothing_and_the_new_one_adopts_the_same_workers()
    {
        using var rig = await StartAsync();
        List<int> workers;
        await using (var client = await ConnectAsync(rig.Proxy))
        {
            workers = RunningPids(await WaitForRunningAsync(client, 2));
        }

        await using var load = rig.StartLoad();
        await load.WaitForMoreAsync(150);
        var logFrom = rig.Proxy.Output.Length;
        var killedAt = load.Now;
        rig.Proxy.KillSupervisor();
        // Served with no supervisor at all for a while.
        await load.WaitForMoreAsync(100);
        var restartedAt = load.Now;
        rig.Proxy.StartNewSupervisor();
        List<int> adopted;
        await using (var client = await ConnectAsync(rig.Proxy))
        {
            var answeringAt = load.Now;
            adopted = RunningPids(await WaitForRunningAsync(client, 2, ws => RunningPids(ws).SequenceEqual(workers)));
            var adoptedAt = load.Now;
            await load.WaitForMoreAsync(150);
            await load.StopAsync();
            Log("kill -9 supervisor + restart", load.Outcomes,
                $"workers {string.Join(",", workers)} → list_workers {string.Join(",", adopted)}; no supervisor for {Ms(restartedAt - killedAt)} ms; " +
                $"restart → command socket answers {Ms(answeringAt - restartedAt)} ms, → workers adopted {Ms(adoptedAt - restartedAt)} ms");
        }
        var failed = load.Outcomes.Where(o => o.Failed).ToList();
        LogFailures(failed, killedAt);
        LogProxy(rig.Proxy, logFrom);
        Assert.Empty(failed);
        Assert.Equal(workers, adopted);
        Assert.All(workers, pid => Assert.True(ProxyProcess.IsAlive(pid), $"worker {pid} died"));
    }
}
