using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>soft_stop under load: requests started before it are all served; new connections are refused at once.</summary>
public sealed partial class ChaosTests
{
    [Fact]
    public async Task Soft_stop_under_load_fails_no_request_started_before_it_and_refuses_new_connections_without_hanging()
    {
        using var rig = await StartAsync($"soft_stop_timeout = {DrainDeadlineSeconds}");
        await using var client = await ConnectAsync(rig.Proxy);
        await using var load = rig.StartLoad();
        await load.WaitForMoreAsync(200);
        var logFrom = rig.Proxy.Output.Length;
        var stopAt = load.Now;
        var first = "";
        await foreach (var progress in client.StreamAsync(new SoftStop()))
        {
            first = $"{progress.Status} {progress.Message}";
            break; // "processing": the slots are told; the final answer comes when the workers are gone
        }
        var answeredAt = load.Now;
        // During the drain: a new connection is refused (the listeners are closed), not queued.
        var during = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            during.Add(await TrafficLoad.TryConnectAsync(rig.HttpPort, TimeSpan.FromSeconds(2)));
            if (during[^1] is "refused" or "reset")
            {
                break;
            }
            await Task.Delay(50);
        }
        var refusedAt = load.Now;
        var supervisor = rig.Proxy.SupervisorPid;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(DrainDeadlineSeconds + 10);
        while (ProxyProcess.IsAlive(supervisor) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var exitedAt = load.Now;
        // New connections now, HTTP and TCP: refused at once, never left waiting in an accept queue.
        var attempts = new List<string>();
        foreach (var port in (int[])[rig.HttpPort, rig.TcpPort])
        {
            attempts.Add(await TrafficLoad.TryConnectAsync(port, TimeSpan.FromSeconds(2)));
        }
        await load.StopAsync();

        var outcomes = load.Outcomes;
        var before = outcomes.Where(o => o.StartedAt < stopAt).ToList();
        var failedBefore = before.Where(o => o.Failed).ToList();
        var after = outcomes.Where(o => o.StartedAt >= stopAt).ToList();
        var hungAfter = after.Where(o => o.Failed && o.EndedAt - o.StartedAt >= TimeSpan.FromSeconds(1)).ToList();
        Log("soft_stop", outcomes,
            $"first answer '{first}' after {Ms(answeredAt - stopAt)} ms; supervisor exited {Ms(exitedAt - stopAt)} ms after the stop (deadline {DrainDeadlineSeconds} s); " +
            $"started before it: {before.Count}, {failedBefore.Count} failed; after it: {after.Count} ({after.Count(o => !o.Failed)} served, " +
            $"{after.Count(o => o.Failed)} failed, {hungAfter.Count} of them after 1 s or more, the slowest failure took {Ms(after.Where(o => o.Failed).Select(o => o.EndedAt - o.StartedAt).DefaultIfEmpty().Max())} ms); " +
            $"new connections during the drain: {string.Join(", ", during)} ({Ms(refusedAt - stopAt)} ms after the stop), after the exit: {string.Join(", ", attempts)}");
        LogFailures(failedBefore, stopAt);
        LogFailures(hungAfter, stopAt);
        LogProxy(rig.Proxy, logFrom);
        Assert.Empty(failedBefore);
        Assert.Empty(hungAfter);
        Assert.False(ProxyProcess.IsAlive(supervisor), "the supervisor still runs\n" + rig.Proxy.Output);
        Assert.Contains(during[^1], new[] { "refused", "reset" });
        Assert.DoesNotContain("hung", during);
        Assert.All(attempts, a => Assert.Contains(a, new[] { "refused", "reset" }));
        Assert.True(exitedAt - stopAt < TimeSpan.FromSeconds(DrainDeadlineSeconds / 2), "the stop waited for its deadline\n" + rig.Proxy.Output);
    }
}
