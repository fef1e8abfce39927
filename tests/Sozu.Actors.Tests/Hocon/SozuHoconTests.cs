using Akka.Actor;
using Akka.Remote.Transport;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Serialization;
using Sozu.Actors.Tests.TestSupport;

namespace Sozu.Actors.Tests.Hocon;

public sealed class SozuHoconTests
{
    public static TheoryData<string> Files() => new() { SozuHocon.SupervisorFile, SozuHocon.WorkerFile };

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_ShippedFile_EveryTransportAndSerializerSettingResolves(string file)
    {
        var config = SozuHocon.Load(Systems.HoconFile(file));

        Assert.Equal("remote", config.GetString("akka.actor.provider"));
        Assert.Equal([SozuHocon.TransportSection], config.GetStringList("akka.remote.enabled-transports"));
        var transport = config.GetConfig(SozuHocon.TransportSection);
        Assert.Equal(typeof(UnixDomainSocketTransport), Type.GetType(transport.GetString("transport-class"), throwOnError: true));
        Assert.Empty(transport.GetStringList("applied-adapters"));
        var settings = UnixDomainSocketTransportSettings.Create(transport);
        Assert.Equal(4 * 1024 * 1024, settings.MaximumFrameSize);
        Assert.True(settings.SendQueueLimit >= settings.MaximumFrameSize);

        Assert.Equal(typeof(HyperionMessageSerializer), Type.GetType(config.GetString("akka.actor.serializers.hyperion-sozu"), throwOnError: true));
        var bindings = config.GetConfig("akka.actor.serialization-bindings").AsEnumerable().ToDictionary(p => p.Key, p => p.Value.GetString());
        Assert.Equal(2, bindings.Count);
        foreach (var (type, serializer) in bindings)
        {
            Assert.NotNull(Type.GetType(type, throwOnError: true));
            Assert.Equal("hyperion-sozu", serializer);
        }

        Assert.Equal(typeof(Akka.Logger.Serilog.SerilogLogger), Type.GetType(config.GetStringList("akka.loggers").Single(), throwOnError: true));
        Assert.Equal("PinnedDispatcher", config.GetString("sozu.loop-dispatcher.type"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.GetTimeSpan("akka.remote.watch-failure-detector.heartbeat-interval"));
        // The supervisor sees a dead worker through its exit; DeathWatch must not kill a busy one.
        // A worker watching its supervisor only decides whether a standby is still wanted.
        var pause = file == SozuHocon.SupervisorFile ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(2);
        Assert.Equal(pause, config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.GetTimeSpan("akka.remote.retry-gate-closed-for"));
        Assert.True(config.HasPath("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal("sozu", SozuHocon.SystemName(config));
    }

    [Fact]
    public void Load_WithOverrides_TheOverridesWinOverTheFile()
    {
        var config = SozuHocon.Load(Systems.HoconFile(SozuHocon.WorkerFile), new SozuHoconOverrides
        {
            SocketDirectory = "/tmp/dir with \"quotes\"",
            Hostname = "worker",
            Slot = SozuHocon.WorkerSlot(7),
            SystemName = "proxy-b",
        });

        Assert.Equal("/tmp/dir with \"quotes\"", config.GetString("akka.remote.unix-domain-socket.socket-dir"));
        Assert.Equal(107, config.GetInt("akka.remote.unix-domain-socket.port"));
        Assert.Equal("proxy-b", SozuHocon.SystemName(config));
        Assert.Equal("4MiB", config.GetString("akka.remote.unix-domain-socket.maximum-frame-size"));
    }

    [Theory]
    [InlineData("relative/dir", null, null, null)]
    [InlineData(null, "bad/host", null, null)]
    [InlineData(null, "UPPER", null, null)]
    [InlineData(null, null, 0, null)]
    [InlineData(null, null, 65536, null)]
    [InlineData(null, null, null, "bad name")]
    public void Load_BadOverride_IsRefusedWithAClearError(string? directory, string? host, int? slot, string? name)
    {
        var overrides = new SozuHoconOverrides { SocketDirectory = directory, Hostname = host, Slot = slot, SystemName = name };

        var error = Assert.Throws<ArgumentException>(() => SozuHocon.Load(Systems.HoconFile(SozuHocon.WorkerFile), overrides));

        Assert.Contains("must", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysWhichFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SozuHocon.Load("/nonexistent/sozu.hocon"));

        Assert.Contains("/nonexistent/sozu.hocon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSystem_ShippedWorkerFile_StartsWithTheLoopDispatcherAndTheUnixAddress()
    {
        using var directory = new TempSocketDirectory();
        using var system = SozuHocon.CreateSystem(Systems.HoconFile(SozuHocon.WorkerFile), new SozuHoconOverrides
        {
            SocketDirectory = directory.Path,
            Hostname = "worker",
            Slot = SozuHocon.WorkerSlot(3),
        });

        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        Assert.Equal("akka.unix://sozu@worker:103", address.ToString());
        Assert.NotNull(system.Dispatchers.Lookup("sozu.loop-dispatcher"));
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
