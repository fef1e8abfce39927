using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

internal static class Load
{
    /// <summary>Compares active connections per unit of weight without dividing (cross-multiplied).</summary>
    public static int Compare(BackendRuntime a, BackendRuntime b) =>
        ((long)a.ActiveConnections * b.Config.Weight).CompareTo((long)b.ActiveConnections * a.Config.Weight);
}
