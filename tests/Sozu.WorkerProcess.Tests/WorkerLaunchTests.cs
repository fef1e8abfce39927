using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sozu.Actors.Supervision;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Net.Worker;

namespace Sozu.WorkerProcess.Tests;

/// <summary>The launch contract: what the supervisor writes is what the worker reads.</summary>
[Properties(Arbitrary = [typeof(WorkerLaunchGenerators)], MaxTest = 300)]
public sealed class WorkerLaunchTests
{
    [Property]
    public void ToArguments_ThenTryParse_GivesTheSameLaunch(WorkerLaunch launch)
    {
        Assert.True(WorkerLaunch.TryParse(launch.ToArguments(), out var parsed, out var error), error);
        Assert.Equal(launch, parsed);
    }

    /// <summary>
    /// Every field of the global configuration is drawn at random (by reflection, so a field added
    /// later is drawn too): whatever the data plane reads of it (ProxyWorkerOptions.From) reaches
    /// the worker process through its command line.
    /// </summary>
    [Property]
    public void EveryGlobalSettingTheDataPlaneReads_ReachesTheWorker(GlobalConfig global)
    {
        var launch = WorkerLaunch.From(global, workerId: 3, socketDirectory: "/run/sozu", systemName: "sozu");

        Assert.True(WorkerLaunch.TryParse(launch.ToArguments(), out var parsed, out var error), error);
        var actual = parsed.ToOptions();
        var expected = ProxyWorkerOptions.From(global) with
        {
            WorkerId = 3,
            InheritedListenerFds = actual.InheritedListenerFds,
            SharedListenerSource = actual.SharedListenerSource,
        };
        Assert.Equal(expected, actual);
        Assert.Equal(global.LogLevel, parsed.LogLevel);
    }

    [Fact]
    public void From_CarriesTheGlobalPerIpCapAndRetryAfter()
    {
        var launch = WorkerLaunch.From(new GlobalConfig { MaxConnectionsPerIp = 7, RetryAfter = 12 }, 0, "/tmp/x", "sozu");

        var arguments = launch.ToArguments();

        Assert.Equal("7", arguments[IndexAfter(arguments, "--max-connections-per-ip")]);
        Assert.Equal("12", arguments[IndexAfter(arguments, "--retry-after")]);
    }

    [Fact]
    public void TryParse_StandbyAndSharedListeners_AreRead()
    {
        Assert.True(WorkerLaunch.TryParse(
            ["--id", "2", "--socket-dir", "/tmp/x", "--standby", "--listen-fd", "127.0.0.1:8080=5", "--listen-fd", "[::1]:8443=6"],
            out var parsed, out var error), error);
        Assert.True(parsed.Standby);
        var options = parsed.ToOptions();
        Assert.Equal(5, options.InheritedListenerFds["127.0.0.1:8080"]);
        Assert.Equal(6, options.InheritedListenerFds["[::1]:8443"]);
        Assert.Equal(2, options.WorkerId);
    }

    [Fact]
    public void TryParse_WithoutStandby_IsAWorkerOnItsFirstSlot()
    {
        Assert.True(WorkerLaunch.TryParse(["--id", "0", "--socket-dir", "/tmp/x"], out var parsed, out var error), error);
        Assert.False(parsed.Standby);
        Assert.Null(parsed.Slot);
        Assert.Empty(parsed.ToOptions().InheritedListenerFds);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("=5")]
    [InlineData("127.0.0.1:8080=-1")]
    [InlineData("127.0.0.1:8080=five")]
    public void TryParse_BadListenFd_IsRefusedWithTheValue(string value)
    {
        Assert.False(WorkerLaunch.TryParse(["--id", "0", "--socket-dir", "/tmp/x", "--listen-fd", value], out _, out var error));
        Assert.Contains("--listen-fd needs ADDRESS=FD", error, StringComparison.Ordinal);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--socket-dir", "/tmp/x" }, "--id and --socket-dir are required")]
    [InlineData(new[] { "--id", "0", "--socket-dir", "/tmp/x", "--frobnicate", "1" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "--id", "0", "--socket-dir", "/tmp/x", "--max-connections" }, "--max-connections needs a value")]
    [InlineData(new[] { "--id", "0", "--socket-dir", "/tmp/x", "--max-connections-per-ip", "-1" }, "--max-connections-per-ip needs a non-negative integer, got '-1'")]
    [InlineData(new[] { "--id", "0", "--id", "1", "--socket-dir", "/tmp/x" }, "--id is given twice")]
    [InlineData(new[] { "--id", "0", "--socket-dir", "/tmp/x", "--buffer-size", "10" }, "buffer_size must be at least 4096 bytes, got 10")]
    [InlineData(new[] { "--id", "0", "--socket-dir", "/tmp/x", "--log-target", "syslog" }, "--log-target: 'syslog' is not stdout")]
    public void TryParse_BadCommandLine_SaysWhatIsWrong(string[] args, string expected)
    {
        Assert.False(WorkerLaunch.TryParse(args, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_NamesEveryOption()
    {
        foreach (var option in new[] { "--id", "--socket-dir", "--max-connections-per-ip", "--retry-after", "--listen-fd", "--standby" })
        {
            Assert.Contains(option, WorkerLaunch.Usage, StringComparison.Ordinal);
        }
    }

    private static int IndexAfter(IReadOnlyList<string> arguments, string name)
    {
        for (var i = 0; i < arguments.Count - 1; i++)
        {
            if (arguments[i] == name)
            {
                return i + 1;
            }
        }
        throw new InvalidOperationException(name + " not written");
    }
}

public static class WorkerLaunchGenerators
{
    private static readonly string[] Texts = ["/tmp/x", "/run/sozu dir/with spaces", "sozu", "système", "--id", "a=b", ""];
    private static readonly string[] Targets = ["stdout", "stderr", "file:///var/log/sozu.log", "udp://127.0.0.1:514", "unix:///dev/log"];
    private static readonly string[] Addresses = ["127.0.0.1:8080", "[::1]:8443", "0.0.0.0:80", "127.0.0.1:9000"];

    public static Arbitrary<WorkerLaunch> Launches() => Arb.From(
        from ints in Gen.Choose(0, int.MaxValue).ArrayOf(8)
        from picks in Gen.Choose(0, 1 << 16).ArrayOf(10)
        from sockets in Gen.Choose(0, Addresses.Length)
        select Build(ints, picks, sockets));

    public static Arbitrary<GlobalConfig> Globals() => Arb.From(
        Gen.Choose(0, 1 << 20).ArrayOf(64).Select(RandomGlobal));

    private static WorkerLaunch Build(int[] ints, int[] picks, int sockets)
    {
        var listen = new List<InheritedListenSocket>();
        for (var i = 0; i < sockets; i++)
        {
            listen.Add(new InheritedListenSocket(Addresses[i], ints[i] % 1000));
        }
        return new WorkerLaunch
        {
            WorkerId = ints[0] % 512,
            SocketDirectory = Texts[picks[0] % Texts.Length],
            SystemName = Texts[picks[1] % Texts.Length],
            Slot = picks[2] % 2 == 0 ? null : ints[1] % 65536,
            Standby = picks[3] % 2 == 0,
            LogLevel = Texts[picks[4] % Texts.Length],
            LogTarget = Targets[picks[5] % Targets.Length],
            AccessLogsTarget = picks[6] % 3 == 0 ? null : Targets[picks[6] % Targets.Length],
            ListenerSource = picks[7] % 2 == 0 ? null : Texts[picks[7] % Texts.Length],
            ListenFds = ValueList<InheritedListenSocket>.From(listen),
            MaxConnections = 1 + ints[2] % 100_000,
            MaxBuffers = 1 + ints[3] % 100_000,
            BufferSize = 4096 + ints[4] % 1_000_000,
            MaxConnectionsPerIp = ints[5] % 1000,
            RetryAfterSeconds = ints[6] % 100_000,
            SoftStopTimeoutSeconds = ints[7] % 100_000,
        };
    }

    /// <summary>Every settable number and flag of GlobalConfig drawn at random, in ranges the worker accepts.</summary>
    private static GlobalConfig RandomGlobal(int[] bits)
    {
        var global = new GlobalConfig();
        var i = 0;
        foreach (var property in typeof(GlobalConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite)
            {
                continue;
            }
            var bit = bits[i++ % bits.Length];
            if (property.PropertyType == typeof(int))
            {
                // At least 4096: the smallest buffer a worker accepts; every other limit is fine with it.
                property.SetValue(global, 4096 + bit);
            }
            else if (property.PropertyType == typeof(bool))
            {
                property.SetValue(global, bit % 2 == 0);
            }
        }
        return global;
    }
}
