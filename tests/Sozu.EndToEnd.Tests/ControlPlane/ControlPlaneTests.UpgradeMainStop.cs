using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.ControlPlane;

/// <summary>After upgrade_main the new supervisor owns every worker: list_workers names them at once, and a stop leaves none.</summary>
public sealed partial class ControlPlaneTests
{
    [Fact]
    public async Task After_upgrade_main_list_workers_names_the_adopted_workers_at_once_and_a_stop_leaves_no_worker_process()
    {
        using var one = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", one.Address);
        Assert.True(await HttpProbe.WaitForAsync(proxy.ListenerPort, "app.test", "one", StartLimit), proxy.Output);

        List<int> workers;
        int oldSupervisor;
        await using (var client = await Connect(proxy))
        {
            workers = (await WaitForRunning(client, 2)).Where(w => w.State == "running").Select(w => w.Pid).Order().ToList();
            Assert.Equal(2, workers.Count);
            oldSupervisor = await SupervisorPid(client);
        }
        _ = proxy.WorkerPids(); // remembers every worker process of the old supervisor, standbys included

        await using (var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: StartLimit))
        {
            var upgraded = await client.SendAsync(new UpgradeMain());
            Assert.True(upgraded.Status == AnswerStatus.Ok, upgraded.Message + "\n" + proxy.Output);
        }

        // The first list_workers the new supervisor answers names the adopted workers: never an
        // empty list while they serve (it waits for the adoption probes, bounded by their deadline).
        var newSupervisor = 0;
        IReadOnlyList<WorkerInfo> first = [];
        var deadline = DateTime.UtcNow + StartLimit;
        while (newSupervisor == 0 && DateTime.UtcNow < deadline)
        {
            try
            {
                await using var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: TimeSpan.FromSeconds(5));
                var status = await client.SendAsync(new Status());
                if (status.Content is StatusContent content && content.SupervisorPid != oldSupervisor)
                {
                    newSupervisor = content.SupervisorPid;
                    first = await Workers(client);
                }
                else
                {
                    await Task.Delay(100);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                await Task.Delay(100);
            }
        }
        Assert.NotEqual(0, newSupervisor);
        proxy.AddSuccessor(newSupervisor);
        Assert.Equal(workers, first.Select(w => w.Pid).Order());

        // Its standbys start once the adopted workers are ready: seen here, and by /proc below.
        await using (var client = await Connect(proxy))
        {
            await WaitForRunning(client, 2);
        }
        await Task.Delay(1000);
        var known = proxy.WorkerPids();
        Assert.Superset(workers.ToHashSet(), known.ToHashSet());

        await using (var client = await Connect(proxy))
        {
            await foreach (var progress in client.StreamAsync(new SoftStop()))
            {
                if (progress.Status != AnswerStatus.Processing)
                {
                    break; // the slots report their workers gone
                }
            }
        }
        // The new supervisor exits, and with it every worker process of the product (by /proc).
        for (var i = 0; i < 600 && (ProxyProcess.IsAlive(newSupervisor) || proxy.WorkerPids().Count > 0); i++)
        {
            await Task.Delay(100);
        }
        Assert.False(ProxyProcess.IsAlive(newSupervisor), "the new supervisor still runs\n" + proxy.Output);
        var left = proxy.WorkerPids();
        Assert.True(left.Count == 0, $"worker processes left after the stop: {string.Join(", ", left)} (known: {string.Join(", ", known)})\n{proxy.Output}");
    }
}
