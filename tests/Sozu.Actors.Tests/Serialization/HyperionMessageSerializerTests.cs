using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Actor.Setup;
using Akka.Serialization;
using Akka.Serialization.Hyperion;
using Hyperion;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Serialization;
using Sozu.Actors.Tests.TestSupport;
using Sozu.Messages;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.Serialization;

public sealed class HyperionMessageSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-tests", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
    private readonly HyperionMessageSerializer _serializer;

    public HyperionMessageSerializerTests()
    {
        _serializer = new HyperionMessageSerializer((ExtendedActorSystem)_system);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    public static TheoryData<ISozuMessage> Records() => new()
    {
        new AddHttpFrontend(SampleMessages.Frontend(1)),
        SampleMessages.Request(2),
        new WorkerRequest("c", new AddCluster(SampleMessages.Cluster(3) with { HealthCheck = new HealthCheckConfig { Uri = "/health" } })),
        new WorkerRequest("b", new AddBackend(SampleMessages.Backend(4))),
        new WorkerRequest("l", new AddHttpsListener(new HttpsListenerConfig
        {
            Address = "127.0.0.1:8443",
            Versions = ValueList<TlsVersion>.Of(TlsVersion.TlsV12, TlsVersion.TlsV13),
            AlpnProtocols = ValueList<string>.Of("h2", "http/1.1"),
        })),
        new WorkerRequest("u", new UpdateHttpListener { Address = "0.0.0.0:80", FrontTimeout = 30, Answers = StringMap.From([new("404", "nope")]) }),
        new WorkerRequest("s", new SoftStop()),
        new WorkerResponse("r", 3, AnswerStatus.Error, "bad", new RequestCountsContent(StringMap.From([new("AddCluster", "2")]))),
        Answer.Ok("q", new ClustersContent(ValueList<ClusterInfo>.Of(new ClusterInfo(
            SampleMessages.Cluster(5),
            ValueList<HttpFrontend>.Of(SampleMessages.Frontend(5), SampleMessages.Frontend(6)),
            ValueList<HttpFrontend>.Empty,
            ValueList<TcpFrontend>.Empty,
            ValueList<Backend>.Of(SampleMessages.Backend(5)))))),
        new Event(EventKind.BackendDown, "cluster-1", "backend-1", "127.0.0.1:9001", WorkerId: 2),
        Answer.Ok("m", Metrics()),
    };

    /// <summary>A worker's metrics with time histograms (overflow bucket included) and TLS counters.</summary>
    private static MetricsContent Metrics()
    {
        var counts = new long[TimeBuckets.Count];
        counts[TimeBuckets.IndexOf(350)] = 3;
        counts[TimeBuckets.IndexOf(12_000)] = 1;
        counts[TimeBuckets.Overflow] = 1;
        var times = TimeHistogram.FromCounts(counts, (3 * 350) + 12_000 + 70_000_000);
        var latency = new LatencyMetrics(times, times, TimeHistogram.Empty);
        var traffic = TrafficMetrics.Zero with { Requests = 5, BytesIn = 700, BytesOut = 9_000 };
        return new MetricsContent(
            new ProxyMetrics(1, 2, 3, 100, 0, 1, 1, traffic),
            ValueList<ListenerMetrics>.Of(new ListenerMetrics("127.0.0.1:8443", "https", traffic, new TlsMetrics(5, 1, 0, 1, 2, 2, 3, 0, 0, 0, 0))),
            ValueList<ClusterMetrics>.Of(new ClusterMetrics("app", traffic, latency, ValueList<BackendMetrics>.Of(
                new BackendMetrics("app-0", "127.0.0.1:9001", true, traffic, latency)))));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void ToBinaryThenFromBinary_SozuRecord_IsValueEqual(ISozuMessage message)
    {
        var bytes = _serializer.ToBinary(message);

        var copy = _serializer.FromBinary(bytes, null!);

        Assert.Equal(message.GetType(), copy.GetType());
        Assert.Equal(message, copy);
        Assert.NotSame(message, copy);
    }

    [Fact]
    public void FromBinary_WorkerRequest_KeepsTheRuntimeTypeOfThePolymorphicRequest()
    {
        var copy = (WorkerRequest)_serializer.FromBinary(_serializer.ToBinary(new WorkerRequest("x", new RemoveCluster("c"))), null!);

        Assert.IsType<RemoveCluster>(copy.Request);
    }

    [Fact]
    public void ToBinaryThenFromBinary_ActorRefInAnnouncement_ResolvesToTheSameActor()
    {
        var actor = _system.ActorOf(Props.Empty, "announced");
        var announcement = new PeerAnnouncement("worker", 101, actor);

        var copy = (PeerAnnouncement)_serializer.FromBinary(_serializer.ToBinary(announcement), null!);

        Assert.Equal(actor, copy.Actor);
        Assert.Equal(announcement, copy);
    }

    [Fact]
    public void Identifier_IsFixedAbove100_AndNoManifestIsNeeded()
    {
        Assert.Equal(4711, _serializer.Identifier);
        Assert.False(_serializer.IncludeManifest);
    }

    [Fact]
    public void ToBinary_ObjectThatIsNotASozuMessage_IsRefused()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.ToBinary(ValueList<string>.Of("a")));

        Assert.Contains("cannot go on the wire", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_UriInsideAList_IsRefusedNamingTheType()
    {
        var bytes = UnrestrictedBytes(ValueList<object>.Of("fine", new Uri("http://127.0.0.1/")));

        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, null!));

        Assert.Contains("System.Uri", error.Message, StringComparison.Ordinal);
        Assert.Contains("not on the wire allow-list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_FileInfoInsideAList_IsRefused()
    {
        var bytes = UnrestrictedBytes(ValueList<object>.Of(new FileInfo("/etc/hostname")));

        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, null!));

        Assert.Contains("System.IO.FileInfo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_TypeOutsideTheAllowedAssemblies_IsRefused()
    {
        var bytes = UnrestrictedBytes(new NotOnTheWire("x"));

        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, null!));

        Assert.Contains(typeof(NotOnTheWire).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_ActorClassOfSozuActors_IsRefusedAlthoughItsAssemblyIsAllowed()
    {
        var bytes = UnrestrictedBytes(ValueList<object>.Of(new UnixDomainSocketTransportSettings { SocketDirectory = "/tmp/x", Hostname = "h", Port = 1 }));

        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, null!));

        Assert.Contains("is not an ISozuActorMessage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_TruncatedPayload_FailsWithSerializationException()
    {
        var bytes = _serializer.ToBinary(SampleMessages.Request(1));

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..(bytes.Length / 2)], null!));
    }

    [Fact]
    public void Serialization_SozuMessagesAndActorMessages_AreBoundToTheHyperionSerializerByTheShippedHocon()
    {
        var config = Systems.Config("worker.hocon", "/tmp/unused", "worker", 101);
        using var system = ActorSystem.Create("bindings", config.WithFallback(ConfigurationFactory.ParseString("akka.actor.provider = local")));

        Assert.IsType<HyperionMessageSerializer>(system.Serialization.FindSerializerForType(typeof(AddHttpFrontend)));
        Assert.IsType<HyperionMessageSerializer>(system.Serialization.FindSerializerForType(typeof(WorkerRequest)));
        Assert.IsType<HyperionMessageSerializer>(system.Serialization.FindSerializerForType(typeof(PeerAnnouncement)));
    }

    [Fact]
    public void Create_AllowedTypesOrSurrogatesInHocon_IsRefusedRatherThanIgnored()
    {
        var config = ConfigurationFactory.ParseString("allowed-types = [\"System.Uri, System.Private.Uri\"]")
            .WithFallback(SozuHocon.Reference.GetConfig(HyperionMessageSerializer.SettingsPath));

        var error = Assert.Throws<ConfigurationException>(() => new HyperionMessageSerializer((ExtendedActorSystem)_system, config));

        Assert.Contains("allowed-types", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_HyperionSerializerSetup_DoesNotReachTheWire_SoTheFilterIsGivenToTheConstructor()
    {
        // Why HyperionMessageSerializer passes its settings to the base constructor: in
        // Akka.Serialization.Hyperion 1.5.75 a setup's type filter is not applied. Should a later
        // version apply it, this fails, and the filter can move into the ActorSystem's setup.
        var setup = BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("akka.loglevel = WARNING"))
            .And(HyperionSerializerSetup.Empty.WithTypeFilter(new RefuseAll()));
        using var system = ActorSystem.Create("setup-ignored", setup);
        var plain = new HyperionSerializer((ExtendedActorSystem)system);

        var copy = plain.FromBinary(plain.ToBinary(new NotOnTheWire("x")), typeof(object));

        Assert.Equal(new NotOnTheWire("x"), copy);
        Assert.IsType<RefuseAll>(plain.Settings.TypeFilter);
    }

    private sealed class RefuseAll : ITypeFilter
    {
        public bool IsAllowed(string typeName) => false;
    }

    /// <summary>What a hostile peer could send: Hyperion bytes written without any restriction.</summary>
    private static byte[] UnrestrictedBytes(object value)
    {
        var hyperion = new Hyperion.Serializer(new SerializerOptions(
            versionTolerance: false, preserveObjectReferences: false, surrogates: null, serializerFactories: null,
            knownTypes: null, ignoreISerializable: true, packageNameOverrides: null, disallowUnsafeTypes: false,
            typeFilter: DisabledTypeFilter.Instance));
        using var stream = new MemoryStream();
        hyperion.Serialize(value, stream);
        return stream.ToArray();
    }

    public sealed record NotOnTheWire(string Value);
}
