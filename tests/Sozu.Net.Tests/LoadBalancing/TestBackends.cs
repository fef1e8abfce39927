using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.LoadBalancing;
using Sozu.Net.Sockets;

namespace Sozu.Net.Tests.LoadBalancing;

/// <summary>Backends that are never connected to: what the balancers see.</summary>
internal static class TestBackends
{
    public static BackendRuntime Create(int index, int weight = 100, bool backup = false)
    {
        var address = $"127.0.0.1:{10_000 + index}";
        if (!NativeAddress.TryParse(address, out var parsed, out var error))
        {
            throw new InvalidOperationException(error);
        }
        return new BackendRuntime(new Backend { ClusterId = "c", BackendId = $"b{index}", Address = address, Weight = weight, Backup = backup }, parsed);
    }

    public static List<BackendRuntime> WithWeights(params int[] weights)
    {
        var list = new List<BackendRuntime>();
        for (var i = 0; i < weights.Length; i++)
        {
            list.Add(Create(i, weights[i]));
        }
        return list;
    }

    /// <summary>Three failures in a row: down, with a one-second back-off from <paramref name="nowMs"/>.</summary>
    public static void MarkDown(BackendRuntime backend, long nowMs)
    {
        for (var i = 0; i < BackendRuntime.FailuresBeforeDown; i++)
        {
            backend.RecordFailure(nowMs);
        }
    }

    /// <summary>How many of <paramref name="picks"/> each backend got.</summary>
    public static int[] Count(ILoadBalancer balancer, List<BackendRuntime> backends, int picks, long nowMs = 0)
    {
        balancer.Rebuild(backends);
        var counts = new int[backends.Count];
        for (var i = 0; i < picks; i++)
        {
            var picked = balancer.Pick(backends, nowMs, null) ?? throw new InvalidOperationException("nothing picked");
            counts[backends.IndexOf(picked)]++;
        }
        return counts;
    }
}
