using System.Runtime.CompilerServices;
using Sozu.Messages.Config;
using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>How loaded a backend is for its weight: lower is better.</summary>
internal static class LoadScore
{
    /// <remarks>
    /// The +1 makes idle backends compare by weight (an idle backend of weight 2 beats an idle
    /// one of weight 1) and keeps a zero EWMA from hiding in-flight work.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Of(BackendRuntime backend, LoadMetric metric, int weight)
    {
        var load = metric switch
        {
            LoadMetric.Requests => backend.InFlightRequests + 1.0,
            LoadMetric.ConnectionTime => (backend.ResponseTimeEwmaMs + 1.0) * (backend.ActiveConnections + 1.0),
            _ => backend.ActiveConnections + 1.0,
        };
        return load / weight;
    }
}
