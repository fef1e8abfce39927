using SharpFuzz;

namespace Sozu.Fuzz;

/// <summary>
/// `Sozu.Fuzz &lt;target&gt;` is what afl-fuzz runs (scripts/fuzz.sh): SharpFuzz's fork server feeds
/// it inputs on stdin. `Sozu.Fuzz replay &lt;target&gt; &lt;file or folder&gt;...` runs saved inputs
/// in-process and names each one that fails. `Sozu.Fuzz list` prints the targets.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "list")
        {
            foreach (var target in FuzzTargets.All)
            {
                Console.WriteLine($"{target.Name}\t{target.Checks}");
            }
            return 0;
        }
        if (args.Length >= 3 && args[0] == "replay")
        {
            return FuzzTargets.Find(args[1]) is { } target ? Replay(target, args.AsSpan(2)) : UnknownTarget(args[1]);
        }
        if (args.Length == 1 && !args[0].StartsWith('-'))
        {
            return FuzzTargets.Find(args[0]) is { } target ? RunUnderAfl(target) : UnknownTarget(args[0]);
        }
        Console.Error.WriteLine("usage: Sozu.Fuzz <target> | Sozu.Fuzz replay <target> <file or folder>... | Sozu.Fuzz list");
        return 2;
    }

    private static int RunUnderAfl(FuzzTarget target)
    {
        var input = new MemoryStream();
        Fuzzer.Run(stream =>
        {
            input.SetLength(0);
            stream.CopyTo(input);
            target.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
        });
        return 0;
    }

    private static int Replay(FuzzTarget target, ReadOnlySpan<string> paths)
    {
        var failures = 0;
        var count = 0;
        foreach (var path in paths)
        {
            foreach (var file in ReplayFiles.Under(path))
            {
                count++;
                if (ReplayFiles.Run(target, file) is { } failure)
                {
                    failures++;
                    Console.WriteLine($"FAIL {file}: {failure}");
                }
            }
        }
        Console.WriteLine($"{target.Name}: {count} inputs, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static int UnknownTarget(string name)
    {
        Console.Error.WriteLine($"unknown target \"{name}\"; known: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
        return 2;
    }
}
