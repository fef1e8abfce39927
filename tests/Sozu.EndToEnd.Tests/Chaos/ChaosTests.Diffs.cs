using System.Diagnostics;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>1,000 configuration diffs (other clusters and frontends added and removed) under load: the routes that stay lose nothing.</summary>
public sealed partial class ChaosTests
{
    [Fact]
    public async Task A_thousand_diffs_of_other_clusters_under_load_fail_nothing_on_the_routes_that_stay()
    {
        using var rig = await StartAsync();
        using var other = new TestBackend("other");
        await using var client = await ConnectAsync(rig.Proxy);
        await using var load = rig.StartLoad();
        await load.WaitForMoreAsync(150);
        var logFrom = rig.Proxy.Output.Length;
        var origin = load.Now;

        // Six diffs per round: a cluster, its backend and its frontend come, and go.
        const int Rounds = 167;
        var latencies = new List<double>(Rounds * 6);
        var rejected = new List<string>();
        var checks = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var cluster = $"chaos-{round}";
            var frontend = new HttpFrontend { ClusterId = cluster, Address = $"127.0.0.1:{rig.HttpPort}", Hostname = $"{cluster}.test" };
            var backend = new Backend { ClusterId = cluster, BackendId = cluster + "-0", Address = other.Address };
            await Diff(new AddCluster(new Cluster { ClusterId = cluster }));
            await Diff(new AddBackend(backend));
            await Diff(new AddHttpFrontend(frontend));
            if (round % 20 == 0)
            {
                // The diff reached the workers: the new route serves (either worker, a new connection).
                var answer = await HttpProbe.GetAsync(rig.HttpPort, frontend.Hostname, TimeSpan.FromSeconds(5));
                if (answer != (200, "other"))
                {
                    checks.Add($"{frontend.Hostname}: {answer}");
                }
            }
            await Diff(new RemoveHttpFrontend(frontend));
            await Diff(new RemoveBackend(cluster, backend.BackendId, backend.Address));
            await Diff(new RemoveCluster(cluster));
        }
        var diffsTook = clock.Elapsed;
        var removed = await HttpProbe.GetAsync(rig.HttpPort, "chaos-0.test", TimeSpan.FromSeconds(5));
        await load.WaitForMoreAsync(100);
        await load.StopAsync();

        latencies.Sort();
        var outcomes = load.Outcomes;
        Log("1,000 diffs", outcomes,
            $"{latencies.Count} diffs in {Ms(diffsTook)} ms ({latencies.Count / diffsTook.TotalSeconds:0}/s one at a time), request → ok p50 {latencies[latencies.Count / 2]:0.00} ms, " +
            $"p99 {latencies[latencies.Count * 99 / 100]:0.00} ms, max {latencies[^1]:0.00} ms; {rejected.Count} rejected; added routes checked: {Rounds / 20 + 1}, {checks.Count} wrong; removed route answers {removed.Status}");
        var failed = outcomes.Where(o => o.Failed).ToList();
        LogFailures(failed, origin);
        LogProxy(rig.Proxy, logFrom);
        Assert.Empty(failed);
        Assert.Empty(rejected);
        Assert.Empty(checks);
        Assert.NotEqual(200, removed.Status);

        async Task Diff(Request request)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await client.SendAsync(request);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (answer.Status != AnswerStatus.Ok)
            {
                rejected.Add($"{request.GetType().Name}: {answer.Status} {answer.Message}");
            }
        }
    }
}
