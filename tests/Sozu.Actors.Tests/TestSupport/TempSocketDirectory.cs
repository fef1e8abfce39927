namespace Sozu.Actors.Tests.TestSupport;

/// <summary>
/// A socket directory path unique to one test, short enough for sun_path, removed afterwards.
/// The directory itself is not created here: the transport must create it (0700).
/// </summary>
public sealed class TempSocketDirectory : IDisposable
{
    public TempSocketDirectory()
    {
        Path = System.IO.Path.Combine("/tmp", "sozu-t-" + Guid.NewGuid().ToString("N")[..10]);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
