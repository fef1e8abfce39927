using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Sozu.Architecture.Tests;

/// <summary>
/// The assemblies an assembly of ours references, read from its metadata (its AssemblyRef
/// table) without loading it. The compiler writes an AssemblyRef only for an assembly whose
/// types the code uses, so a project reference kept only to copy an executable (as the
/// supervisor's to sozu-worker) does not appear; a line of code that uses it does.
/// </summary>
internal static class AssemblyReferences
{
    /// <summary>Our assemblies, by file name next to the tests.</summary>
    public const string MessagesAssembly = "Sozu.Messages";
    public const string NetAssembly = "Sozu.Net";
    public const string ActorsAssembly = "Sozu.Actors";
    public const string SupervisorAssembly = "sozu";
    public const string WorkerAssembly = "sozu-worker";

    public static readonly string[] Ours = [MessagesAssembly, NetAssembly, ActorsAssembly, SupervisorAssembly, WorkerAssembly];

    public static readonly string[] Executables = [SupervisorAssembly, WorkerAssembly];

    public static IReadOnlyList<string> Of(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        Assert.True(File.Exists(path), $"{path} was not built next to the tests.");
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.AssemblyReferences)
        {
            names.Add(metadata.GetString(metadata.GetAssemblyReference(handle).Name));
        }
        return names;
    }

    /// <summary>The references of <paramref name="assembly"/> that <paramref name="forbidden"/> matches.</summary>
    public static List<string> Forbidden(string assembly, Func<string, bool> forbidden)
    {
        var found = new List<string>();
        foreach (var reference in Of(assembly))
        {
            if (forbidden(reference))
            {
                found.Add(reference);
            }
        }
        return found;
    }

    public static bool IsAkka(string name) =>
        name is "Akka" || name.StartsWith("Akka.", StringComparison.Ordinal) || name is "Hyperion" || name is "DotNetty.Transport";

    public static bool IsOurs(string name) => Array.IndexOf(Ours, name) >= 0;
}
