using Sozu.Net.Backends;
using Sozu.Net.Listeners;
using Sozu.Net.Metrics;

namespace Sozu.Net.Worker;

internal sealed partial class ProxyCore
{
    /// <summary>Reused by <see cref="Snapshot"/>, which captures and converts in one go on the loop thread.</summary>
    private readonly MetricsCapture _snapshotCapture = new();

    /// <summary>The listeners with a struct enumerator: a metrics capture walks them without allocating.</summary>
    internal Dictionary<string, Listener>.ValueCollection ListenerValues => _listeners.Values;

    /// <summary>The clusters with a struct enumerator: a metrics capture walks them without allocating.</summary>
    internal Dictionary<string, ClusterRuntime>.ValueCollection ClusterValues => _clusters.Values;

    /// <summary>
    /// A copy of every counter as records, built on the loop thread (allocates; for tests and
    /// small workers). The worker actor captures here and converts elsewhere instead
    /// (<see cref="ProxyWorker.CaptureMetrics"/>).
    /// </summary>
    public WorkerMetricsSnapshot Snapshot()
    {
        _snapshotCapture.Capture(this, Loop.NowMs);
        return _snapshotCapture.ToSnapshot();
    }
}
