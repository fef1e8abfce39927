using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using BenchmarkDotNet.Attributes;
using Sozu.Actors.Serialization;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Benchmarks.Serialization;

/// <summary>
/// Serialize + deserialize of Sozu messages: our locked-down Hyperion serializer against
/// Akka 1.5's default for plain objects (Newtonsoft JSON, with type names), which is what the
/// messages would use without our binding.
/// Measured once with `--job short` on the shared 2-vCPU machine (error bars are wide):
/// Hyperion round trip AddHttpFrontend 10.5 µs / 5.6 KB allocated (755 B on the wire),
/// WorkerRequest(AddCluster) 9.7 µs / 2.1 KB (246 B), 1,000 WorkerRequests 15.3 ms,
/// 1,000 frontends in one message 9.5 ms (118 KB). Akka's JSON: WorkerRequest(AddCluster)
/// 535 µs / 17 KB (305 B); it cannot round-trip StringMap or ValueList at all (Newtonsoft
/// throws), so every message holding them fails — those benchmarks report NA.
/// </summary>
[MemoryDiagnoser]
public class MessageSerializerBenchmarks
{
    private ActorSystem _system = null!;
    private HyperionMessageSerializer _hyperion = null!;
    private NewtonSoftJsonSerializer _json = null!;
    private AddHttpFrontend _frontend = null!;
    private WorkerRequest _request = null!;
    private WorkerRequest[] _batch = null!;
    private FrontendsContent _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = ERROR"));
        _hyperion = new HyperionMessageSerializer((ExtendedActorSystem)_system);
        _json = new NewtonSoftJsonSerializer((ExtendedActorSystem)_system);
        _frontend = new AddHttpFrontend(Frontend(1));
        _request = new WorkerRequest("req-1", new AddCluster(new Cluster { ClusterId = "cluster-1", StickySession = true, LoadBalancing = LoadBalancingAlgorithm.LeastLoaded }));
        _batch = new WorkerRequest[1000];
        var frontends = new HttpFrontend[1000];
        for (var i = 0; i < _batch.Length; i++)
        {
            frontends[i] = Frontend(i);
            _batch[i] = new WorkerRequest($"req-{i}", new AddHttpFrontend(frontends[i]));
        }
        _snapshot = new FrontendsContent(ValueList<HttpFrontend>.From(frontends), ValueList<HttpFrontend>.Empty, ValueList<TcpFrontend>.Empty);

        foreach (var message in new object[] { _frontend, _request, _snapshot })
        {
            var hyperionBytes = _hyperion.ToBinary(message);
            var jsonBytes = _json.ToBinary(message);
            var jsonEqual = TryJsonRoundTrip(message, jsonBytes);
            Console.WriteLine($"// {message.GetType().Name}: Hyperion {hyperionBytes.Length} B (equal after round trip: {Equals(message, _hyperion.FromBinary(hyperionBytes, null!))}), JSON {jsonBytes.Length} B (equal after round trip: {jsonEqual})");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Benchmark]
    public object Hyperion_AddHttpFrontend() => _hyperion.FromBinary(_hyperion.ToBinary(_frontend), null!);

    [Benchmark]
    public object Json_AddHttpFrontend() => _json.FromBinary(_json.ToBinary(_frontend), typeof(AddHttpFrontend));

    [Benchmark]
    public object Hyperion_WorkerRequest() => _hyperion.FromBinary(_hyperion.ToBinary(_request), null!);

    [Benchmark]
    public object Json_WorkerRequest() => _json.FromBinary(_json.ToBinary(_request), typeof(WorkerRequest));

    /// <summary>1,000 requests sent one message each, as a worker receives them at start-up.</summary>
    [Benchmark]
    public int Hyperion_1000Requests()
    {
        var count = 0;
        foreach (var request in _batch)
        {
            count += _hyperion.FromBinary(_hyperion.ToBinary(request), null!) is WorkerRequest ? 1 : 0;
        }
        return count;
    }

    [Benchmark]
    public int Json_1000Requests()
    {
        var count = 0;
        foreach (var request in _batch)
        {
            count += _json.FromBinary(_json.ToBinary(request), typeof(WorkerRequest)) is WorkerRequest ? 1 : 0;
        }
        return count;
    }

    /// <summary>The same 1,000 frontends as one answer message.</summary>
    [Benchmark]
    public object Hyperion_1000FrontendsInOneMessage() => _hyperion.FromBinary(_hyperion.ToBinary(_snapshot), null!);

    [Benchmark]
    public object Json_1000FrontendsInOneMessage() => _json.FromBinary(_json.ToBinary(_snapshot), typeof(FrontendsContent));

    private string TryJsonRoundTrip(object message, byte[] bytes)
    {
        try
        {
            return Equals(message, _json.FromBinary(bytes, message.GetType())).ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "failed: " + e.GetType().Name + ": " + e.Message;
        }
    }

    private static HttpFrontend Frontend(int i) => new()
    {
        ClusterId = $"cluster-{i}",
        Address = "127.0.0.1:8080",
        Hostname = $"app{i}.example.com",
        Path = PathRule.Prefix($"/api/{i}"),
        Tags = StringMap.From([new("owner", "team-" + i), new("env", "prod")]),
    };
}
