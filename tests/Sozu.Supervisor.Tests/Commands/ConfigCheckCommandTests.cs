using Sozu.Supervisor.Commands;
using Xunit;

namespace Sozu.Supervisor.Tests.Commands;

public sealed class ConfigCheckCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sozu-check-test-").FullName;
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private string Write(string toml)
    {
        var path = Path.Combine(_folder, "config.toml");
        File.WriteAllText(path, toml);
        return path;
    }

    [Fact]
    public void Run_ExampleConfig_ExitsZeroAndSummarizesWhatItBuilds()
    {
        var exit = ConfigCheckCommand.Run(RepositoryFiles.ExampleConfig, _stdout, _stderr);

        Assert.Equal(0, exit);
        var output = _stdout.ToString();
        Assert.Contains("2 listeners, 2 clusters, 2 frontends, 2 backends, 0 certificates", output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080", output, StringComparison.Ordinal);
        Assert.Contains("ROUND_ROBIN", output, StringComparison.Ordinal);
        Assert.Equal("", _stderr.ToString());
    }

    [Fact]
    public void Run_BadFile_ExitsOneAndPrintsEachErrorWithItsPlace()
    {
        var path = Write("""
            worker_count = 2
            worker_cout = 3
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:80800"
            """);

        var exit = ConfigCheckCommand.Run(path, _stdout, _stderr);

        Assert.Equal(1, exit);
        var lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{path}:2:1: worker_cout: unknown key", lines[0]);
        Assert.StartsWith($"{path}:5:1: listeners[0].address: ", lines[1], StringComparison.Ordinal);
        Assert.Equal($"2 errors in {path}", lines[2]);
        Assert.Equal("", _stdout.ToString());
    }

    [Fact]
    public void Run_MissingFile_ExitsTwo()
    {
        var exit = ConfigCheckCommand.Run(Path.Combine(_folder, "absent.toml"), _stdout, _stderr);

        Assert.Equal(2, exit);
        Assert.Contains("absent.toml: no such file", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WarningsOnly_ExitsZeroAndPrintsThemOnStderr()
    {
        var path = Write("""
            worker_timeout = 10
            """);

        var exit = ConfigCheckCommand.Run(path, _stdout, _stderr);

        Assert.Equal(0, exit);
        Assert.StartsWith($"warning: {path}:1:1: worker_timeout:", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_StateValidationRefusing_ExitsOneWithItsMessages()
    {
        var path = Write("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            """);

        var exit = ConfigCheckCommand.Run(path, _stdout, _stderr, config => [$"refused {config.Requests.Count} requests"]);

        Assert.Equal(1, exit);
        Assert.Contains($"{path}: refused 2 requests", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ByDefault_AppliesTheRequestsToAnEmptyStateAndReportsItsRefusal()
    {
        var path = Write("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"

            [clusters.app]
            protocol = "http"
            frontends = [
                { address = "127.0.0.1:8080", hostname = "app.example.com" },
                { address = "127.0.0.1:8080", hostname = "app.example.com" },
            ]
            backends = [ { address = "127.0.0.1:9001" } ]
            """);

        var exit = ConfigCheckCommand.Run(path, _stdout, _stderr);

        Assert.Equal(1, exit);
        var errors = _stderr.ToString();
        Assert.Contains("add_http_frontend", errors, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", errors, StringComparison.Ordinal);
        Assert.Equal("", _stdout.ToString());
    }
}
