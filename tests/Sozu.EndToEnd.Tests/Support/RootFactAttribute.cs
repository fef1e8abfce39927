namespace Sozu.EndToEnd.Tests.Support;

/// <summary>A test that needs root (switching users, binding a port below 1024): skipped, saying so, under any other uid.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot())
        {
            Skip = "needs root (uid 0) to start sozu as root and switch to another user; CI runs as root";
        }
    }

    private static bool IsRoot()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                return line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2] == "0"; // the effective uid
            }
        }
        return false;
    }
}
