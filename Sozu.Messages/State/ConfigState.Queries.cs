using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Validation;

namespace Sozu.Messages.State;

/// <summary>
/// The read side of the command socket. Frontend lookups scan (O(frontends)): they serve an
/// operator's query, not the data plane, and an index per cluster would make every Apply pay.
/// </summary>
public sealed partial class ConfigState
{
    public ClusterInfo? QueryClusterById(string clusterId)
    {
        if (clusterId is null || !Clusters.TryGetValue(clusterId, out var cluster))
        {
            return null;
        }
        return InfoOf(cluster);
    }

    /// <summary>
    /// Clusters with an HTTP or HTTPS frontend on this exact hostname (ASCII case ignored) and,
    /// when a path is given, whose path rule value is that path, as Sōzu's query.
    /// </summary>
    public IReadOnlyList<ClusterInfo> QueryClustersByDomain(string hostname, string? path)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        if (hostname is not null)
        {
            CollectClusterIds(HttpFrontends.Values, hostname, path, ids);
            CollectClusterIds(HttpsFrontends.Values, hostname, path, ids);
        }
        var infos = new List<ClusterInfo>(ids.Count);
        foreach (var id in ids)
        {
            if (Clusters.TryGetValue(id, out var cluster))
            {
                infos.Add(InfoOf(cluster));
            }
        }
        return infos;
    }

    private static void CollectClusterIds(IEnumerable<HttpFrontend> frontends, string hostname, string? path, SortedSet<string> ids)
    {
        foreach (var frontend in frontends)
        {
            if (frontend.ClusterId is not null
                && string.Equals(frontend.Hostname, hostname, StringComparison.OrdinalIgnoreCase)
                && (path is null || string.Equals(frontend.Path.Value, path, StringComparison.Ordinal)))
            {
                ids.Add(frontend.ClusterId);
            }
        }
    }

    /// <summary>
    /// Frontends filtered by cluster id (exact) and by domain (a substring of the hostname,
    /// ASCII case ignored, as Sōzu's list); TCP frontends have no hostname, so a domain filter
    /// leaves them out.
    /// </summary>
    public FrontendsContent ListFrontends(string? clusterId, string? domain)
    {
        bool Matches(HttpFrontend f) =>
            (clusterId is null || string.Equals(f.ClusterId, clusterId, StringComparison.Ordinal))
            && (domain is null || f.Hostname.Contains(domain, StringComparison.OrdinalIgnoreCase));

        var http = new List<HttpFrontend>();
        foreach (var frontend in HttpFrontends.Values)
        {
            if (Matches(frontend))
            {
                http.Add(frontend);
            }
        }
        var https = new List<HttpFrontend>();
        foreach (var frontend in HttpsFrontends.Values)
        {
            if (Matches(frontend))
            {
                https.Add(frontend);
            }
        }
        var tcp = new List<TcpFrontend>();
        if (domain is null)
        {
            foreach (var frontend in TcpFrontends.Values)
            {
                if (clusterId is null || string.Equals(frontend.ClusterId, clusterId, StringComparison.Ordinal))
                {
                    tcp.Add(frontend);
                }
            }
        }
        return new FrontendsContent(ValueList<HttpFrontend>.From(http), ValueList<HttpFrontend>.From(https), ValueList<TcpFrontend>.From(tcp));
    }

    public ListenersContent ListListeners() => new(ValueList<ListenerInfo>.From(Listeners.Values));

    /// <summary>
    /// Certificates whose names serve <paramref name="domain"/> (exact or by wildcard) and/or
    /// with that fingerprint; both null lists them all.
    /// </summary>
    public CertificatesContent QueryCertificates(string? domain, string? fingerprint)
    {
        var summaries = new List<CertificateSummary>();
        foreach (var (address, certificates) in Certificates)
        {
            foreach (var (print, certificate) in certificates)
            {
                if (fingerprint is not null && !string.Equals(print, fingerprint, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                if (domain is not null && !Serves(certificate.Names, domain))
                {
                    continue;
                }
                summaries.Add(new CertificateSummary(address, print, certificate.Names));
            }
        }
        return new CertificatesContent(ValueList<CertificateSummary>.From(summaries));
    }

    private static bool Serves(ValueList<string> names, string domain)
    {
        foreach (var name in names)
        {
            if (Hostname.Covers(name, domain))
            {
                return true;
            }
        }
        return false;
    }

    private ClusterInfo InfoOf(Cluster cluster)
    {
        var id = cluster.ClusterId;
        var tcp = new List<TcpFrontend>();
        foreach (var frontend in TcpFrontends.Values)
        {
            if (string.Equals(frontend.ClusterId, id, StringComparison.Ordinal))
            {
                tcp.Add(frontend);
            }
        }
        return new ClusterInfo(
            cluster,
            ValueList<HttpFrontend>.From(FrontendsOf(HttpFrontends, id)),
            ValueList<HttpFrontend>.From(FrontendsOf(HttpsFrontends, id)),
            ValueList<TcpFrontend>.From(tcp),
            ValueList<Backend>.From(BackendsOf(id).Values));
    }
}
