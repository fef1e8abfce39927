using System.Diagnostics;
using Sozu.Messages.Requests;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

/// <summary>
/// The benchmark harness (shared/bench/sozu-candidate.sh, beside the repository) renders a config
/// and execs `$SOZU start -c FILE`. With SOZU=echo it prints that command instead, so the very
/// file it renders can be loaded here.
/// </summary>
public sealed class BenchHarnessConfigTests
{
    private static string FindScript()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; directory is not null && depth < 12; depth++, directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "shared", "bench", "sozu-candidate.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }
        // A clone without the harness beside it: use the copy kept with the fixtures (refresh it
        // when the harness changes).
        return Path.Combine(TempConfigFolder.FixturesDirectory, "sozu-candidate.sh");
    }

    private static string Render(bool withTls)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(FindScript());
        start.Environment["SOZU"] = "echo";
        start.Environment["BENCH_PORT"] = "18080";
        start.Environment["BENCH_BACKEND_PORT"] = "19001";
        if (withTls)
        {
            start.Environment["BENCH_TLS_PORT"] = "18443";
            start.Environment["BENCH_CERT"] = Path.Combine(TempConfigFolder.FixturesDirectory, "assets", "certificate.pem");
            start.Environment["BENCH_KEY"] = Path.Combine(TempConfigFolder.FixturesDirectory, "assets", "key.pem");
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("sozu-candidate.sh did not finish within 30 s");
        }
        Assert.True(process.ExitCode == 0, "sozu-candidate.sh failed: " + errors.Result);
        // "start -c /tmp/sozu-bench.XXXXXX/config.toml"
        var words = output.Result.Trim().Split(' ');
        Assert.Equal(["start", "-c"], words[..2]);
        return words[2];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheConfigTheHarnessRenders_Loads(bool withTls)
    {
        var path = Render(withTls);
        try
        {
            var result = ConfigFileLoader.Load(path);

            var config = Assert.IsType<LoadedConfig>(result);
            Assert.Equal(1, config.Global.WorkerCount);
            Assert.Equal("origin", Assert.Single(config.Requests.OfType<AddBackend>()).Backend.BackendId);
            Assert.Equal(withTls ? 1 : 0, config.Requests.OfType<AddCertificate>().Count());
            Assert.Equal(withTls ? 1 : 0, config.Requests.OfType<AddHttpsFrontend>().Count());
            Assert.Empty(config.Warnings);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
