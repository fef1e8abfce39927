using Xunit;

namespace Sozu.Fuzz.Tests;

/// <summary>
/// Every saved input through its target, in-process and without afl-fuzz: the seeds must pass
/// (a target that fails its own seeds checks a promise the parser never made), and every crash
/// ever found, dropped into regressions/&lt;target&gt;/, stays fixed.
/// </summary>
public class ReplayTests
{
    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCorpusInput_PassesItsTarget(string name)
    {
        var files = ReplayFiles.Under(Repository.FuzzFolder("corpus", name)).ToList();

        Assert.True(files.Count >= 10, $"corpus/{name} holds {files.Count} seeds; afl-fuzz needs a few to start from");
        AssertAllPass(name, files);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryRegressionInput_PassesItsTarget(string name) =>
        AssertAllPass(name, ReplayFiles.Under(Repository.FuzzFolder("regressions", name)).ToList());

    [Theory]
    [InlineData("corpus")]
    [InlineData("regressions")]
    public void EveryInputFolder_NamesATarget(string kind)
    {
        // A folder misnamed after a rename would be skipped silently by the theories above.
        foreach (var folder in Directory.GetDirectories(Path.Combine(Repository.Root, "tests", "Sozu.Fuzz", kind)))
        {
            Assert.True(FuzzTargets.Find(Path.GetFileName(folder)) is not null, $"{kind}/{Path.GetFileName(folder)} is not a target: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
        }
    }

    [Fact]
    public void EveryDictionary_NamesATarget()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "tests", "Sozu.Fuzz", "dictionaries")))
        {
            Assert.True(FuzzTargets.Find(Path.GetFileNameWithoutExtension(file)) is not null, $"dictionaries/{Path.GetFileName(file)} is not a target's");
        }
    }

    [Fact]
    public void AFailingTarget_IsReportedWithTheInput()
    {
        // The replay must be able to fail: a target that breaks on one byte is caught and named.
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, "boom"u8.ToArray());
            var failure = ReplayFiles.Run(new FailsOnB(), file);
            Assert.NotNull(failure);
            Assert.Contains("InvariantViolationException: an input holds a b", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertAllPass(string name, List<string> files)
    {
        var target = FuzzTargets.Find(name)!;
        var failures = files
            .Select(file => (file, failure: ReplayFiles.Run(target, file)))
            .Where(r => r.failure is not null)
            .Select(r => $"{Path.GetRelativePath(Repository.Root, r.file)}: {r.failure}")
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {files.Count} inputs fail {name}:\n{string.Join("\n", failures)}");
    }

    private sealed class FailsOnB : FuzzTarget
    {
        public override string Name => "fails-on-b";

        public override string Checks => "fails on any input holding a 'b'";

        public override void Run(ReadOnlySpan<byte> input)
        {
            if (input.Contains((byte)'b'))
            {
                throw new InvariantViolationException("an input holds a b");
            }
        }
    }
}
