namespace Sozu.Fuzz.Tests;

/// <summary>The checkout the tests run from: the corpora, the regressions and scripts/fuzz.sh live there.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string FuzzFolder(string kind, string target) => Path.Combine(Root, "tests", "Sozu.Fuzz", kind, target);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SozuActors.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("SozuActors.sln not found above " + AppContext.BaseDirectory);
    }
}
