using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Sozu.Actors.Serialization;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.Serialization;

/// <summary>
/// Payloads a peer could send but our factories never build: the collection's private array is
/// broken by reflection, then written by Hyperion exactly as it would go on the wire.
/// </summary>
public sealed class WireInvariantsTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("wire-invariants-tests", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
    private readonly HyperionMessageSerializer _serializer;

    public WireInvariantsTests()
    {
        _serializer = new HyperionMessageSerializer((ExtendedActorSystem)_system);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static StringMap MapWithPairs(params KeyValuePair<string, string>[] pairs)
    {
        // A well-formed map of the same size, whose array is then overwritten as a hostile peer would.
        var map = StringMap.From(pairs.Select((p, i) => new KeyValuePair<string, string>("k" + i, "v")));
        typeof(StringMap).GetField("_pairs", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(map, pairs);
        return map;
    }

    private static WorkerRequest FrontendTagged(StringMap tags) =>
        new("1", new AddHttpFrontend(new HttpFrontend { ClusterId = "app", Address = "127.0.0.1:8080", Hostname = "a.test", Tags = tags }));

    public static TheoryData<KeyValuePair<string, string>[], string> BrokenMaps() => new()
    {
        { [new("b", "1"), new("a", "2")], "keys out of order ('b' before 'a')" },
        { [new("a", "1"), new("a", "2")], "key 'a' twice" },
        { [new("a", "1"), new(null!, "2")], "a null key at position 1" },
        { [new("a", null!)], "a null value for key 'a'" },
    };

    [Theory]
    [MemberData(nameof(BrokenMaps))]
    public void FromBinary_StringMapThatBreaksItsInvariants_IsRefusedWithThePathAndTheReason(KeyValuePair<string, string>[] pairs, string reason)
    {
        var bytes = _serializer.ToBinary(FrontendTagged(MapWithPairs(pairs)));

        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, null!));

        Assert.Contains("WorkerRequest.Request.Frontend.Tags: a string map with " + reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_ValueListWithAHoleDeepInAnAnswer_IsRefusedWithItsIndex()
    {
        var backends = ValueList<BackendMetrics>.Of(
            new BackendMetrics("app-0", "127.0.0.1:9001", true, TrafficMetrics.Zero, LatencyMetrics.Zero),
            new BackendMetrics("app-1", "127.0.0.1:9002", true, TrafficMetrics.Zero, LatencyMetrics.Zero));
        var items = (BackendMetrics[])typeof(ValueList<BackendMetrics>).GetField("_items", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(backends)!;
        items[1] = null!;
        var metrics = new MetricsContent(
            new ProxyMetrics(1, 0, 0, 0, 0, 0, 0, TrafficMetrics.Zero),
            ValueList<ListenerMetrics>.Empty,
            ValueList<ClusterMetrics>.Of(new ClusterMetrics("app", TrafficMetrics.Zero, LatencyMetrics.Zero, backends)));
        var bytes = _serializer.ToBinary(Answer.Ok("1", metrics));

        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, null!));

        Assert.Contains("Answer.Content.Clusters[0].Backends: a list of BackendMetrics with a null item at position 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_WellFormedCollections_PassUnchanged()
    {
        var message = FrontendTagged(StringMap.From([new("a", "1"), new("b", "2")]));

        Assert.Equal(message, _serializer.FromBinary(_serializer.ToBinary(message), null!));
    }
}
