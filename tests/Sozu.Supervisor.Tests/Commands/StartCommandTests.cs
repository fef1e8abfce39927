using Sozu.Supervisor.Commands;
using Xunit;

namespace Sozu.Supervisor.Tests.Commands;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
/// <summary>What `sozu start` refuses before it starts anything (the running paths are end-to-end tests).</summary>
public sealed class StartCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sozu-start-test-").FullName;
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
    public void Run_MissingFile_ExitsTwo()
    {
        var exit = StartCommand.Run(Path.Combine(_folder, "nope.toml"), _stdout, _stderr);

        Assert.Equal(2, exit);
        Assert.Contains("no such file", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadFile_ExitsOneWithEveryErrorAndCreatesNoSocketDirectory()
    {
        var path = Write("""
            worker_count = 2
            worker_cout = 3
            """);

        var exit = StartCommand.Run(path, _stdout, _stderr);

        Assert.Equal(1, exit);
        Assert.Contains("worker_cout", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_folder));
    }

    [Fact]
    public void Run_SavedStatePresentButUnreadable_ExitsOneNamingTheFile()
    {
        // Not a state file in any format: refused whether or not state files can be read yet
        // (an empty file would be a valid empty state, and start would then run for ever).
        File.WriteAllText(Path.Combine(_folder, "state.json"), "not a request\n");
        var path = Write("""
            command_socket = "sozu.sock"
            saved_state = "state.json"
            """);

        var exit = StartCommand.Run(path, _stdout, _stderr);

        Assert.Equal(1, exit);
        Assert.Contains("state.json", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_folder));
    }

    [Theory]
    [InlineData("log_target")]
    [InlineData("access_logs_target")]
    public void Run_UnwritableLogFile_ExitsOneNamingTheKey_BeforeAnythingStarts(string key)
    {
        // A directory where the log file should be: it cannot be opened for appending.
        Directory.CreateDirectory(Path.Combine(_folder, "a-directory.log"));
        var path = Write($"""
            command_socket = "sozu.sock"
            {key} = "file://a-directory.log"
            """);

        var exit = StartCommand.Run(path, _stdout, _stderr, socketDirectory: Path.Combine(_folder, "sockets"));

        Assert.Equal(1, exit);
        Assert.Contains(key, _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "sozu.sock")));
    }

    [Fact]
    public void LoadSavedState_AcceptsASavedEmptyState()
    {
        var saved = Path.Combine(_folder, "empty-state.json");
        Sozu.Actors.Configuration.StateFile.Save(saved, Sozu.Messages.State.ConfigState.Empty);

        var (state, error) = StartCommand.LoadSavedState(saved, Sozu.Messages.State.ConfigState.Empty);

        Assert.Null(error);
        Assert.Equal(Sozu.Messages.State.ConfigState.Empty, state);
    }

    [Fact]
    public void Run_SocketDirectoryOpenToOthers_ExitsOneAndLeavesItAlone()
    {
        var shared = Path.Combine(_folder, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b111_111_111);
        var path = Write("""command_socket = "sozu.sock" """);

        var exit = StartCommand.Run(path, _stdout, _stderr, socketDirectory: shared);

        Assert.Equal(1, exit);
        Assert.Contains("socket directory", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b111_111_111, File.GetUnixFileMode(shared));
    }
}
