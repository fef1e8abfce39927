namespace Sozu.WorkerProcess.Tests;

public sealed class WorkerArgumentsTests
{
    [Fact]
    public void TryParse_StandbyAndSharedListeners_AreRead()
    {
        Assert.True(WorkerArguments.TryParse(
            ["--id", "2", "--socket-dir", "/tmp/x", "--standby", "--listen-fd", "127.0.0.1:8080=5", "--listen-fd", "[::1]:8443=6"],
            out var parsed, out var error), error);
        Assert.True(parsed.Standby);
        Assert.Equal(5, parsed.Options.InheritedListenerFds["127.0.0.1:8080"]);
        Assert.Equal(6, parsed.Options.InheritedListenerFds["[::1]:8443"]);
        Assert.Equal(2, parsed.Options.WorkerId);
    }

    [Fact]
    public void TryParse_WithoutStandby_IsAWorker()
    {
        Assert.True(WorkerArguments.TryParse(["--id", "0", "--socket-dir", "/tmp/x"], out var parsed, out var error), error);
        Assert.False(parsed.Standby);
        Assert.Empty(parsed.Options.InheritedListenerFds);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("=5")]
    [InlineData("127.0.0.1:8080=-1")]
    [InlineData("127.0.0.1:8080=five")]
    public void TryParse_BadListenFd_IsRefusedWithTheValue(string value)
    {
        Assert.False(WorkerArguments.TryParse(["--id", "0", "--socket-dir", "/tmp/x", "--listen-fd", value], out _, out var error));
        Assert.Contains("--listen-fd needs ADDRESS=FD", error, StringComparison.Ordinal);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MaxIncompleteHeadsPerIp_IsRead_AndDefaultsTo64()
    {
        Assert.True(WorkerArguments.TryParse(["--id", "0", "--socket-dir", "/tmp/x", "--max-incomplete-heads-per-ip", "3"], out var parsed, out var error), error);
        Assert.Equal(3, parsed.Options.MaxIncompleteHeadsPerIp);
        Assert.True(WorkerArguments.TryParse(["--id", "0", "--socket-dir", "/tmp/x"], out var unset, out error), error);
        Assert.Equal(64, unset.Options.MaxIncompleteHeadsPerIp);
        Assert.False(WorkerArguments.TryParse(["--id", "0", "--socket-dir", "/tmp/x", "--max-incomplete-heads-per-ip", "-1"], out _, out error));
        Assert.Contains("--max-incomplete-heads-per-ip", error, StringComparison.Ordinal);
    }
}
