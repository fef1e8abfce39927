namespace Sozu.Fuzz;

/// <summary>Saved inputs (corpus, regressions, afl-fuzz crashes) run in-process, as the replay test and `Sozu.Fuzz replay` do.</summary>
public static class ReplayFiles
{
    /// <summary>A file, or every file under a folder (sorted, so failures list in a stable order); README files are notes, not inputs.</summary>
    public static IEnumerable<string> Under(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }
        if (!Directory.Exists(path))
        {
            return [];
        }
        var files = Directory.GetFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("README", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Null when the target accepts the input; otherwise the exception it threw, as text.</summary>
    public static string? Run(FuzzTarget target, string file)
    {
        ArgumentNullException.ThrowIfNull(target);
        var input = File.ReadAllBytes(file);
        try
        {
            target.Run(input);
            return null;
        }
#pragma warning disable CA1031 // Any exception is the finding: report it, go on with the next input.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e.ToString();
        }
    }
}
