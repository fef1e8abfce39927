using System.Text;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Json;

namespace Sozu.EndToEnd.Tests.Cli;

/// <summary>The `sozu` CLI against a running proxy: output, --json, and the exit codes of SPEC §3.</summary>
public sealed class CliEndToEndTests : IClassFixture<RunningProxy>
{
    private readonly RunningProxy _proxy;

    public CliEndToEndTests(RunningProxy proxy)
    {
        _proxy = proxy;
    }

    [Fact]
    public void Status_PrintsTheSupervisorAndTheWorkers_AndExitsZero()
    {
        var (code, stdout, stderr) = _proxy.Host.Cli("status");
        Assert.True(code == 0, stderr);
        foreach (var column in new[] { "process", "pid", "state", "uptime", "connections" })
        {
            Assert.Contains(column, stdout, StringComparison.Ordinal);
        }
        Assert.Contains("supervisor", stdout, StringComparison.Ordinal);
        Assert.Contains(_proxy.Host.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), stdout, StringComparison.Ordinal);
        Assert.Contains("worker", stdout, StringComparison.Ordinal);
        Assert.Contains("running", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusJson_IsTheRawStatusAnswer()
    {
        var (code, stdout, stderr) = _proxy.Host.Cli("--json", "status");
        Assert.True(code == 0, stderr);
        Assert.True(CommandJson.TryParseAnswer(Encoding.UTF8.GetBytes(stdout.Trim()), out var answer, out var error), error);
        var status = Assert.IsType<StatusContent>(answer.Content);
        Assert.Equal(_proxy.Host.Pid, status.SupervisorPid);
        Assert.Equal("running", Assert.Single(status.Workers).State);
        Assert.Contains("\"supervisor_pid\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"uptime_seconds\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_PrintsTheRawAnswer()
    {
        var (code, stdout, _) = _proxy.Host.Cli("--json", "workers", "list");
        Assert.Equal(0, code);
        Assert.True(CommandJson.TryParseAnswer(Encoding.UTF8.GetBytes(stdout.Trim()), out var answer, out var error), error);
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        Assert.IsType<WorkersContent>(answer.Content);
    }

    [Fact]
    public void ClusterBackendFrontend_AddListRemove_ThroughTheCli()
    {
        var host = _proxy.Host;
        var address = $"127.0.0.1:{host.ListenerPort}";
        Assert.Equal(0, host.Cli("cluster", "add", "--id", "cli", "--load-balancing", "random").ExitCode);
        Assert.Equal(0, host.Cli("backend", "add", "--id", "cli", "--backend-id", "cli-0", "--address", _proxy.Backend.Address).ExitCode);
        Assert.Equal(0, host.Cli("frontend", "http", "add", "--address", address, "--hostname", "cli.local", "--id", "cli").ExitCode);
        var (code, stdout, _) = host.Cli("cluster", "list", "--id", "cli");
        Assert.Equal(0, code);
        Assert.Contains("cli-0", stdout, StringComparison.Ordinal);
        Assert.Contains("cli.local", stdout, StringComparison.Ordinal);
        Assert.Equal(0, host.Cli("frontend", "http", "remove", "--address", address, "--hostname", "cli.local", "--id", "cli").ExitCode);
        Assert.Equal(0, host.Cli("backend", "remove", "--id", "cli", "--backend-id", "cli-0", "--address", _proxy.Backend.Address).ExitCode);
        Assert.Equal(0, host.Cli("cluster", "remove", "--id", "cli").ExitCode);
    }

    [Fact]
    public void ErrorAnswer_ExitsOne_WithTheMessage()
    {
        var (code, _, stderr) = _proxy.Host.Cli("cluster", "list", "--id", "no-such-cluster");
        Assert.Equal(1, code);
        Assert.Contains("no-such-cluster", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadUsage_ExitsTwo()
    {
        Assert.Equal(2, _proxy.Host.Cli("backend", "add", "--id", "x").ExitCode);
        Assert.Equal(2, _proxy.Host.Cli("cluster", "add", "--id", "x", "--load-balancing", "fastest").ExitCode);
    }

    [Fact]
    public void UnreachableSocket_ExitsTwo_WithOneLine()
    {
        var directory = Path.Combine("/tmp", "sozu-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var config = Path.Combine(directory, "config.toml");
            File.WriteAllText(config, $"command_socket = \"{directory}/absent.sock\"\n");
            var (code, _, stderr) = SozuHost.RunCli("-c", config, "status");
            Assert.Equal(2, code);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task MetricsGet_And_Logging_And_StateSave()
    {
        var host = _proxy.Host;
        Assert.Equal(200, (await HttpConnection.GetOnceAsync(host.ListenerPort, "localhost")).Status);
        var metrics = host.Cli("metrics", "get");
        Assert.Equal(0, metrics.ExitCode);
        // The time table: one row per histogram with samples.
        Assert.Contains("response head", metrics.Stdout, StringComparison.Ordinal);
        Assert.Contains("p99.9", metrics.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, host.Cli("logging", "debug").ExitCode);
        var (badLevel, _, badLevelError) = host.Cli("logging", "chatty");
        Assert.Equal(2, badLevel);
        Assert.Contains("chatty", badLevelError, StringComparison.Ordinal);
        Assert.Equal(0, host.Cli("logging", "info").ExitCode);
        var file = Path.Combine(host.Directory, "cli-state.json");
        Assert.Equal(0, host.Cli("state", "save", "-f", file).ExitCode);
        Assert.Equal(0, host.Cli("state", "load", "-f", file).ExitCode);
        Assert.Equal(0, host.Cli("listener", "list").ExitCode);
        Assert.Equal(0, host.Cli("certificate", "list").ExitCode);
    }
}
