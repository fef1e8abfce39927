using System.Diagnostics;
using Sozu.Supervisor.Cli;
using Xunit;

namespace Sozu.Supervisor.Tests.Cli;

public sealed class SozuCommandLineTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = SozuCommandLine.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("config", "check", "-c")]
    [InlineData("-c", "config", "check")]
    [InlineData("config", "check", "--config")]
    public void ConfigCheck_ConfigOptionBeforeOrAfter_ChecksTheFile(string first, string second, string third)
    {
        string[] args = first.StartsWith('-')
            ? [first, RepositoryFiles.ExampleConfig, second, third]
            : [first, second, third, RepositoryFiles.ExampleConfig];

        var (exit, stdout, _) = Run(args);

        Assert.Equal(0, exit);
        Assert.Contains(": ok", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigCheck_WithoutConfigOption_IsBadUsage()
    {
        var (exit, _, stderr) = Run("config", "check");

        Assert.Equal(2, exit);
        Assert.Contains("missing -c/--config", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_IsBadUsage()
    {
        var (exit, _, stderr) = Run("frobnicate");

        Assert.Equal(2, exit);
        Assert.StartsWith("sozu: ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chatty")]
    [InlineData("")]
    public void Logging_UnknownLevel_IsBadUsage_BeforeAnySocketIsTried(string level)
    {
        var (exit, _, stderr) = Run("-c", RepositoryFiles.ExampleConfig, "logging", level);

        Assert.Equal(2, exit);
        Assert.Contains("unknown log level", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("supervisor", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRealExecutable_ChecksTheExampleAndABadFile()
    {
        var sozu = Path.Combine(AppContext.BaseDirectory, "sozu.dll");
        Assert.True(File.Exists(sozu), "sozu.dll is copied next to the tests by the project reference");
        var bad = Path.Combine(Directory.CreateTempSubdirectory("sozu-exe-test-").FullName, "bad.toml");
        File.WriteAllText(bad, "log_level = \"loud\"\n");
        try
        {
            var ok = RunProcess(sozu, "config", "check", "-c", RepositoryFiles.ExampleConfig);
            Assert.Equal(0, ok.Exit);
            Assert.Contains("2 listeners, 2 clusters", ok.Stdout, StringComparison.Ordinal);

            var failed = RunProcess(sozu, "-c", bad, "config", "check");
            Assert.Equal(1, failed.Exit);
            Assert.StartsWith($"{bad}:1:1: log_level: unknown level \"loud\"", failed.Stderr, StringComparison.Ordinal);

            var missing = RunProcess(sozu, "config", "check", "-c", bad + ".absent");
            Assert.Equal(2, missing.Exit);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(bad)!, recursive: true);
        }
    }

    private static (int Exit, string Stdout, string Stderr) RunProcess(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            // Only the process this test started, by its handle.
            process.Kill(entireProcessTree: true);
            Assert.Fail("sozu config check did not exit within 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
