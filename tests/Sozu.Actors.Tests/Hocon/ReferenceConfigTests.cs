using Akka.Actor;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Akka.Dispatch;
using Akka.Serialization;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Actors.Workers.Mailbox;
using Sozu.Net.Worker;

namespace Sozu.Actors.Tests.Hocon;

/// <summary>
/// The embedded reference configuration and the code agree: every sozu.* key in it changes what
/// the code builds, every sozu.* key the code reads is in it (the readers have no default of
/// their own and throw on a missing key), and every akka.* key in it is one Akka (or our
/// transport, or Akka.Serialization.Hyperion) reads, so a misspelt key cannot sit there unused.
/// </summary>
public sealed class ReferenceConfigTests
{
    /// <summary>sozu.* keys whose reader is Akka itself: the worker loop's dispatcher and mailbox.</summary>
    private static readonly string[] ReadByAkka =
    [
        "sozu.loop-dispatcher.type",
        "sozu.loop-dispatcher.throughput",
        "sozu.loop-mailbox.mailbox-type",
    ];

    private static readonly WorkerCommand Command = new("/bin/true", []);
    private static readonly ProxyWorkerOptions Options = new();

    /// <summary>Everything our code builds from a configuration, with value equality.</summary>
    private static object[] ReadAll(Config config) =>
    [
        SozuHocon.SystemName(config),
        WorkerSlotSettings.Create(0, Command, config),
        ConfigurationSettings.Create(config),
        ConfigurationSettings.MainUpgradeReadyTimeout(config),
        WorkerActorSettings.Create(0, Options, config),
        UnixDomainSocketTransportSettings.Create(config.GetConfig(SozuHocon.TransportSection)),
    ];

    public static TheoryData<string> SozuKeys()
    {
        var keys = new TheoryData<string>();
        foreach (var key in Leaves(SozuHocon.Reference, "sozu"))
        {
            if (!ReadByAkka.Contains(key))
            {
                keys.Add(key);
            }
        }
        return keys;
    }

    [Fact]
    public void Reference_EveryKeyTheCodeReads_IsPresent()
    {
        // Each reader throws ConfigurationException on a missing key: reading them all is the check.
        var settings = ReadAll(SozuHocon.Reference);

        Assert.Equal(TimeSpan.FromSeconds(5), ((WorkerSlotSettings)settings[1]).AdoptTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(200), ((WorkerSlotSettings)settings[1]).MinBackoff);
        Assert.Equal(100, ((WorkerActorSettings)settings[4]).LoopSliceMs);
    }

    [Fact]
    public void Reference_TheDefaultsInCode_AreTheReferenceValues()
    {
        // The record defaults serve tests and embedded use; they must not tell another story.
        Assert.Equal(new WorkerSlotSettings(0, Command), WorkerSlotSettings.Create(0, Command, SozuHocon.Reference));
        Assert.Equal(ConfigurationSettings.Default, ConfigurationSettings.Create(SozuHocon.Reference));
        Assert.Equal(new MainUpgradeSettings("/d", (_, _, _) => null!).ReadyTimeout, ConfigurationSettings.MainUpgradeReadyTimeout(SozuHocon.Reference));
        Assert.Equal(new WorkerActorSettings(0, Options), WorkerActorSettings.Create(0, Options, SozuHocon.Reference));
    }

    [Theory]
    [MemberData(nameof(SozuKeys))]
    public void Reference_EverySozuKey_ChangesWhatTheCodeBuilds(string key)
    {
        var changed = ConfigurationFactory.ParseString($"{key} = {Changed(SozuHocon.Reference.GetString(key))}").WithFallback(SozuHocon.Reference);

        var before = ReadAll(SozuHocon.Reference);
        var after = ReadAll(changed);

        Assert.False(before.SequenceEqual(after), $"{key} is in the reference configuration but nothing reads it.");
    }

    [Fact]
    public void Reference_SozuKeysReadByAkka_BuildTheWorkerLoopsDispatcherAndMailbox()
    {
        using var system = ActorSystem.Create("reference-dispatcher", ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(SozuHocon.Reference));

        Assert.IsType<PinnedDispatcher>(system.Dispatchers.Lookup(WorkerActorSettings.LoopDispatcher));
        Assert.IsType<EventFdMailbox>(system.Mailboxes.Lookup(WorkerActorSettings.LoopMailbox));
        Assert.Equal(100, SozuHocon.Reference.GetInt("sozu.loop-dispatcher.throughput"));
    }

    [Theory]
    [InlineData("sozu.supervision.ping-timeout = 0s", "sozu.supervision.ping-timeout")]
    [InlineData("sozu.supervision.backoff.random-factor = 1.5", "sozu.supervision.backoff.random-factor")]
    [InlineData("sozu.supervision.backoff.max = 100ms", "sozu.supervision.backoff.max")]
    [InlineData("sozu.worker.loop-slice = 1500us", "sozu.worker.loop-slice")]
    [InlineData("sozu.configuration.request-timeout = -1s", "sozu.configuration.request-timeout")]
    public void Read_BadValue_FailsNamingTheKey(string hocon, string key)
    {
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(SozuHocon.Reference);

        var error = Assert.Throws<ConfigurationException>(() => ReadAll(config));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingKey_FailsNamingTheKeyAndTheReference()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationSettings.Create(ConfigurationFactory.ParseString("sozu.configuration.sync-timeout = 1s")));

        Assert.Contains("sozu.configuration.request-timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains(SozuHocon.ReferenceResource, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_EveryAkkaKey_IsAKeyItsReaderKnows()
    {
        var akka = ConfigurationFactory.Default()
            // Akka.Remote's reference configuration, as its (internal) RemoteConfigFactory loads it.
            .WithFallback(ConfigurationFactory.FromResource<Akka.Remote.RemoteSettings>("Akka.Remote.Configuration.Remote.conf"))
            .WithFallback(HyperionSerializer.DefaultConfiguration());
        var unknown = new List<string>();
        foreach (var key in Leaves(SozuHocon.Reference, "akka"))
        {
            var known = key switch
            {
                // Open maps: any serializer name, any bound type.
                _ when key.StartsWith("akka.actor.serializers.", StringComparison.Ordinal) => true,
                _ when key.StartsWith("akka.actor.serialization-bindings.", StringComparison.Ordinal) => true,
                // Our serializer's settings are Akka.Serialization.Hyperion's.
                _ when key.StartsWith("akka.actor.serialization-settings.hyperion-sozu.", StringComparison.Ordinal) =>
                    akka.HasPath("akka.actor.serialization-settings.hyperion." + key["akka.actor.serialization-settings.hyperion-sozu.".Length..]),
                // Our transport: Akka reads transport-class and applied-adapters, the settings the rest.
                _ when key.StartsWith(SozuHocon.TransportSection + ".", StringComparison.Ordinal) =>
                    TransportKeys.Contains(key[(SozuHocon.TransportSection.Length + 1)..]),
                _ => akka.HasPath(key),
            };
            if (!known)
            {
                unknown.Add(key);
            }
        }

        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData("socket-dir", "\"/tmp/other\"")]
    [InlineData("hostname", "\"other\"")]
    [InlineData("port", "7")]
    [InlineData("maximum-frame-size", "1MiB")]
    [InlineData("send-queue-limit", "16MiB")]
    [InlineData("connect-timeout", "9s")]
    [InlineData("flush-timeout", "9s")]
    [InlineData("backlog", "7")]
    public void Reference_EveryTransportKey_ChangesTheTransportSettings(string key, string value)
    {
        Assert.Contains(key, TransportKeys);
        var changed = ConfigurationFactory.ParseString($"{SozuHocon.TransportSection}.{key} = {value}").WithFallback(SozuHocon.Reference);

        Assert.NotEqual(
            UnixDomainSocketTransportSettings.Create(SozuHocon.Reference.GetConfig(SozuHocon.TransportSection)),
            UnixDomainSocketTransportSettings.Create(changed.GetConfig(SozuHocon.TransportSection)));
    }

    [Fact]
    public void Reference_TransportKeys_AreAllTested()
    {
        Assert.Equal(TransportKeys.Order(StringComparer.Ordinal), Leaves(SozuHocon.Reference, SozuHocon.TransportSection)
            .Select(k => k[(SozuHocon.TransportSection.Length + 1)..]).Order(StringComparer.Ordinal));
    }

    /// <summary>The keys of our transport's section (transport-class and applied-adapters are Akka's).</summary>
    private static readonly string[] TransportKeys =
    [
        "transport-class", "applied-adapters", "socket-dir", "hostname", "port",
        "maximum-frame-size", "send-queue-limit", "connect-timeout", "flush-timeout", "backlog",
    ];

    /// <summary>A different value of the same kind: a duration, a fraction or a name.</summary>
    private static string Changed(string value) => value switch
    {
        _ when value.EndsWith("ms", StringComparison.Ordinal) || value.EndsWith('s') => "777ms",
        _ when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) => "0.7",
        _ => "\"changed-" + value + "\"",
    };

    /// <summary>The paths of every non-object value under <paramref name="root"/>.</summary>
    private static List<string> Leaves(Config config, string root)
    {
        var leaves = new List<string>();
        Collect(config.GetValue(root), root, leaves);
        return leaves;
    }

    private static void Collect(HoconValue value, string path, List<string> into)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                Collect(child, path + "." + key, into);
            }
            return;
        }
        into.Add(path);
    }
}
