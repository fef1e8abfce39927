namespace Sozu.Supervisor.Tests;

/// <summary>Files of the repository the tests check (the example configuration the README runs).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string ExampleConfig => Path.Combine(Root, "examples", "config.toml");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; directory is not null && depth < 12; depth++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SozuActors.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("SozuActors.sln not found above " + AppContext.BaseDirectory);
    }
}
