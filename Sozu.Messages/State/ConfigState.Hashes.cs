using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.State;

public sealed partial class ConfigState
{
    /// <summary>
    /// A 64-bit hash of everything of the cluster (its settings, backends and frontends), the
    /// same across processes and runs, so external tools can tell which clusters changed.
    /// 0 for an unknown cluster id.
    /// </summary>
    public ulong ClusterHash(string clusterId)
    {
        if (clusterId is null || !Clusters.TryGetValue(clusterId, out var cluster))
        {
            return 0;
        }
        var http = FrontendsOf(HttpFrontends, clusterId);
        var https = FrontendsOf(HttpsFrontends, clusterId);
        var tcp = new List<TcpFrontend>();
        foreach (var frontend in TcpFrontends.Values)
        {
            if (string.Equals(frontend.ClusterId, clusterId, StringComparison.Ordinal))
            {
                tcp.Add(frontend);
            }
        }
        return HashOf(cluster, BackendsOf(clusterId).Values, http, https, tcp);
    }

    /// <summary>One hash per cluster, ordered by cluster id; one pass over the frontends for all of them.</summary>
    public IReadOnlyList<ClusterHash> ClusterHashes()
    {
        var http = GroupByCluster(HttpFrontends.Values);
        var https = GroupByCluster(HttpsFrontends.Values);
        var tcp = new Dictionary<string, List<TcpFrontend>>(StringComparer.Ordinal);
        foreach (var frontend in TcpFrontends.Values)
        {
            if (!tcp.TryGetValue(frontend.ClusterId, out var list))
            {
                tcp[frontend.ClusterId] = list = [];
            }
            list.Add(frontend);
        }
        var hashes = new List<ClusterHash>(Clusters.Count);
        foreach (var (id, cluster) in Clusters)
        {
            hashes.Add(new ClusterHash(id, HashOf(
                cluster,
                BackendsOf(id).Values,
                http.GetValueOrDefault(id) ?? [],
                https.GetValueOrDefault(id) ?? [],
                tcp.GetValueOrDefault(id) ?? [])));
        }
        return hashes;
    }

    private static List<HttpFrontend> FrontendsOf(IEnumerable<KeyValuePair<HttpFrontendKey, HttpFrontend>> frontends, string clusterId)
    {
        var list = new List<HttpFrontend>();
        foreach (var (_, frontend) in frontends)
        {
            if (string.Equals(frontend.ClusterId, clusterId, StringComparison.Ordinal))
            {
                list.Add(frontend);
            }
        }
        return list;
    }

    private static Dictionary<string, List<HttpFrontend>> GroupByCluster(IEnumerable<HttpFrontend> frontends)
    {
        var groups = new Dictionary<string, List<HttpFrontend>>(StringComparer.Ordinal);
        foreach (var frontend in frontends)
        {
            if (frontend.ClusterId is null)
            {
                continue;
            }
            if (!groups.TryGetValue(frontend.ClusterId, out var list))
            {
                groups[frontend.ClusterId] = list = [];
            }
            list.Add(frontend);
        }
        return groups;
    }

    // Section markers keep an empty list in one section from looking like an item of the next.
    private const byte ClusterSection = 1;
    private const byte BackendSection = 2;
    private const byte HttpSection = 3;
    private const byte HttpsSection = 4;
    private const byte TcpSection = 5;

    /// <summary>Every field, in a fixed order; frontends and backends arrive in the state's sorted order.</summary>
    private static ulong HashOf(
        Cluster cluster,
        IEnumerable<Backend> backends,
        List<HttpFrontend> http,
        List<HttpFrontend> https,
        List<TcpFrontend> tcp)
    {
        var hash = Fnv1a64.Create();
        hash.Add(ClusterSection);
        hash.Add(cluster.ClusterId);
        hash.Add((int)cluster.LoadBalancing);
        hash.Add(cluster.LoadMetric is { } metric ? (int)metric : -1);
        hash.Add(cluster.StickySession);
        hash.Add(cluster.HttpsRedirect);
        hash.Add(cluster.ProxyProtocol is { } proxy ? (int)proxy : -1);
        hash.Add(cluster.Answer503);
        hash.Add(cluster.MaxConnectionsPerIp ?? -1);
        hash.Add(cluster.HealthCheck is not null);
        if (cluster.HealthCheck is { } check)
        {
            hash.Add(check.Uri);
            hash.Add(check.IntervalSeconds);
            hash.Add(check.TimeoutSeconds);
            hash.Add(check.HealthyThreshold);
            hash.Add(check.UnhealthyThreshold);
            hash.Add(check.ExpectedStatus);
        }
        hash.Add(BackendSection);
        foreach (var backend in backends)
        {
            hash.Add(backend.BackendId);
            hash.Add(backend.Address);
            hash.Add(backend.Weight);
            hash.Add(backend.StickyId);
            hash.Add(backend.Backup);
        }
        hash.Add(HttpSection);
        foreach (var frontend in http)
        {
            Add(ref hash, frontend);
        }
        hash.Add(HttpsSection);
        foreach (var frontend in https)
        {
            Add(ref hash, frontend);
        }
        hash.Add(TcpSection);
        foreach (var frontend in tcp)
        {
            hash.Add(frontend.Address);
            Add(ref hash, frontend.Tags);
        }
        return hash.Value;
    }

    private static void Add(ref Fnv1a64 hash, HttpFrontend frontend)
    {
        hash.Add(frontend.Address);
        hash.Add(frontend.Hostname);
        hash.Add((int)frontend.Path.Kind);
        hash.Add(frontend.Path.Value);
        hash.Add(frontend.Method);
        hash.Add((int)frontend.Position);
        Add(ref hash, frontend.Tags);
        hash.Add(frontend.Hsts is not null);
        if (frontend.Hsts is { } hsts)
        {
            hash.Add(hsts.Enabled);
            hash.Add(hsts.MaxAge);
            hash.Add(hsts.IncludeSubdomains);
            hash.Add(hsts.Preload);
        }
    }

    private static void Add(ref Fnv1a64 hash, StringMap tags)
    {
        hash.Add(tags.Count);
        foreach (var (key, value) in tags)
        {
            hash.Add(key);
            hash.Add(value);
        }
    }
}
