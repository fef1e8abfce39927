using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Sozu.Fuzz.Tests;

/// <summary>
/// The CI form of fuzzing: scripts/fuzz.sh runs every target under afl-fuzz for a few seconds
/// and fails on any crash or hang. afl-fuzz missing is a failure, not a skip: scripts/setup.sh
/// installs the Debian package afl++.
/// </summary>
public class AflRunTests(ITestOutputHelper output)
{
    private const int SecondsPerTarget = 10;

    [Fact]
    public async Task EveryTarget_RunsUnderAflForTenSeconds_WithoutACrash()
    {
        var findings = Path.Combine(Path.GetTempPath(), "sozu-fuzz-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "scripts", "fuzz.sh"), "all", SecondsPerTarget.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment["FUZZ_OUT"] = findings;
        start.Environment["FUZZ_NO_BUILD"] = "1";
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // 8 targets × 10 s, plus instrumenting and each target's start: 1 min 46 s measured (2026-12-08, loaded machine).
            using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
            {
                try
                {
                    await process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            var text = await stdout + await stderr;
            output.WriteLine(text);
            Assert.True(process.ExitCode == 0, $"scripts/fuzz.sh all {SecondsPerTarget} exited {process.ExitCode}:\n{text}");
            foreach (var target in FuzzTargets.All)
            {
                Assert.Contains($"{target.Name}: {SecondsPerTarget} s, ", text, StringComparison.Ordinal);
            }
            // Kept on failure: the crashing inputs listed above are there.
            Directory.Delete(findings, recursive: true);
        }
        catch when (Directory.Exists(findings))
        {
            output.WriteLine($"afl-fuzz's findings are kept in {findings}");
            throw;
        }
    }
}
