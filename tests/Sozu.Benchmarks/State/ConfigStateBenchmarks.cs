using BenchmarkDotNet.Attributes;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Benchmarks.State;

/// <summary>
/// The supervisor's state at fleet scale: 10,000 clusters, 50,000 HTTP frontends and 50,000
/// backends. A single Apply must stay O(log n); a reload diffs two such states built apart.
/// </summary>
[MemoryDiagnoser]
public class ConfigStateBenchmarks
{
    private const int Clusters = 10_000;
    private const int PerCluster = 5;
    private static readonly string[] ListenerAddresses = ["127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083"];

    private ConfigState _state = ConfigState.Empty;
    private ConfigState _rebuiltOnePercentOff = ConfigState.Empty;
    private ConfigState _evolvedOnePercentOff = ConfigState.Empty;
    private AddBackend _addBackend = null!;

    [GlobalSetup]
    public void Setup()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _state = Build(changeEvery: 0);
        var elapsed = clock.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// state of {_state}: {(after - before) / (1024.0 * 1024.0):F1} MiB retained, built by ApplyAll in {elapsed.TotalMilliseconds:F0} ms");

        // One cluster in a hundred differs: a backend weight and a frontend tag.
        _rebuiltOnePercentOff = Build(changeEvery: 100);
        _evolvedOnePercentOff = _state.ApplyAll(Changes(_state, every: 100)).State;
        _addBackend = new AddBackend(new Backend { ClusterId = "cluster-5000", BackendId = "new", Address = "10.9.9.9:80" });
        Console.WriteLine($"// diff rebuilt: {ConfigState.Diff(_state, _rebuiltOnePercentOff).Count} requests, evolved: {ConfigState.Diff(_state, _evolvedOnePercentOff).Count}");
    }

    [Benchmark]
    public ConfigState Apply_AddBackend() => _state.Apply(_addBackend).State;

    [Benchmark]
    public int Diff_RebuiltStateOnePercentOff() => ConfigState.Diff(_state, _rebuiltOnePercentOff).Count;

    [Benchmark]
    public int Diff_EvolvedStateOnePercentOff() => ConfigState.Diff(_state, _evolvedOnePercentOff).Count;

    [Benchmark]
    public int ToRequests() => _state.ToRequests().Count;

    [Benchmark]
    public int ClusterHashes() => _state.ClusterHashes().Count;

    private static ConfigState Build(int changeEvery)
    {
        var result = ConfigState.Empty.ApplyAll(Requests(changeEvery));
        return result.IsOk ? result.State : throw new InvalidOperationException(result.Error);
    }

    private static IEnumerable<ConfigRequest> Requests(int changeEvery)
    {
        foreach (var address in ListenerAddresses)
        {
            yield return new AddHttpListener(new HttpListenerConfig { Address = address });
        }
        for (var c = 0; c < Clusters; c++)
        {
            var changed = changeEvery > 0 && c % changeEvery == 0;
            var id = "cluster-" + c;
            yield return new AddCluster(new Cluster { ClusterId = id });
            for (var i = 0; i < PerCluster; i++)
            {
                yield return new AddBackend(new Backend
                {
                    ClusterId = id,
                    BackendId = $"{id}-{i}",
                    Address = $"10.{c / 250}.{c % 250}.{i + 1}:8000",
                    Weight = changed && i == 0 ? 50 : 100,
                });
                yield return new AddHttpFrontend(new HttpFrontend
                {
                    ClusterId = id,
                    Address = ListenerAddresses[c % ListenerAddresses.Length],
                    Hostname = $"c{c}.example.com",
                    Path = PathRule.Prefix("/p" + i),
                    Tags = changed && i == 0 ? StringMap.From([new("changed", "yes")]) : StringMap.Empty,
                });
            }
        }
    }

    private static IEnumerable<ConfigRequest> Changes(ConfigState state, int every)
    {
        for (var c = 0; c < Clusters; c += every)
        {
            var id = "cluster-" + c;
            var backend = state.BackendsOf(id).Values.First(b => b.BackendId == id + "-0");
            yield return new AddBackend(backend with { Weight = 50 });
            var frontend = state.HttpFrontends.Values.First(f => f.ClusterId == id && f.Path.Value == "/p0");
            yield return new RemoveHttpFrontend(frontend);
            yield return new AddHttpFrontend(frontend with { Tags = StringMap.From([new("changed", "yes")]) });
        }
    }
}
