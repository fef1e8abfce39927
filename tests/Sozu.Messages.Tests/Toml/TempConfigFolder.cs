namespace Sozu.Messages.Tests.Toml;

/// <summary>A throw-away folder holding a config.toml and copies of the fixture assets, so relative paths resolve against it.</summary>
internal sealed class TempConfigFolder : IDisposable
{
    public static readonly string FixturesDirectory = Path.Combine(AppContext.BaseDirectory, "Toml", "Fixtures");

    public TempConfigFolder()
    {
        Root = Directory.CreateTempSubdirectory("sozu-toml-test-").FullName;
        var assets = Path.Combine(Root, "assets");
        Directory.CreateDirectory(assets);
        foreach (var file in Directory.GetFiles(Path.Combine(FixturesDirectory, "assets")))
        {
            File.Copy(file, Path.Combine(assets, Path.GetFileName(file)));
        }
    }

    public string Root { get; }

    public string Write(string toml, string name = "config.toml")
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, toml);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
