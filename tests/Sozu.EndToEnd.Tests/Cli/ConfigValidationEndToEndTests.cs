using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Cli;

/// <summary>
/// A configuration the workers would refuse never gets past the supervisor: a health-check uri
/// with a space used to pass `config check` and the supervisor, then every worker refused it
/// and `sozu start` restarted them forever.
/// </summary>
public sealed class ConfigValidationEndToEndTests
{
    private const string SpaceInUri = """
        [clusters.app]
        protocol = "http"
        frontends = []
        backends = []

        [clusters.app.health_check]
        uri = "/health check"
        """;

    [Fact]
    public void ConfigCheck_HealthCheckUriWithASpace_FailsAtItsLine()
    {
        using var host = new SozuHost();
        host.WriteConfig(SpaceInUri);

        var (exit, _, stderr) = host.Cli("config", "check");

        Assert.Equal(1, exit);
        Assert.Contains("clusters.app.health_check.uri: health_check.uri '/health check' must be a path", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_HealthCheckUriWithASpace_ExitsWithTheError_InsteadOfRestartingWorkers()
    {
        using var host = new SozuHost();
        host.WriteConfig(SpaceInUri);

        // RunCli gives up (and fails the test) after 60 s: a start that loops never returns.
        var (exit, _, stderr) = SozuHost.RunCli("start", "-c", host.ConfigPath);

        Assert.Equal(1, exit);
        Assert.Contains("health_check.uri '/health check'", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(host.SocketPath));
    }

    [Fact]
    public async Task AddCluster_HealthCheckUriWithASpace_IsAnErrorAnswer_AndTheWorkersKeepServing()
    {
        using var host = new SozuHost();
        await host.StartAsync();

        var answers = await host.RawAsync("""{"id":"h","type":"add_cluster","data":{"cluster_id":"app","health_check":{"uri":"/health check"}}}""", """{"id":"s","type":"status"}""");

        Assert.Contains(answers, a => a.Contains("\"id\":\"h\",\"status\":\"error\"", StringComparison.Ordinal) && a.Contains("health_check.uri", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Contains("\"id\":\"s\",\"status\":\"ok\"", StringComparison.Ordinal) && a.Contains("1 of 1 workers running", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigCheck_ARefusedSozuKey_IsAnErrorWithFileLineAndKey()
    {
        using var host = new SozuHost();
        host.WriteConfig($$"""
            [clusters.app]
            protocol = "http"
            backends = []
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "app.test", required_auth = true }]
            """);

        var (exit, _, stderr) = host.Cli("config", "check");

        Assert.Equal(1, exit);
        var line = File.ReadAllLines(host.ConfigPath).ToList().FindIndex(l => l.Contains("required_auth", StringComparison.Ordinal)) + 1;
        Assert.Contains($"{host.ConfigPath}:{line}:", stderr, StringComparison.Ordinal);
        Assert.Contains("clusters.app.frontends[0].required_auth: not supported yet (no basic authentication)", stderr, StringComparison.Ordinal);
    }
}
