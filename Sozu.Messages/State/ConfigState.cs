using System.Collections.Immutable;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;

namespace Sozu.Messages.State;

/// <summary>
/// The routing configuration of the proxy as one immutable value: listeners (with their active
/// flag), clusters, backends, HTTP/HTTPS/TCP frontends and certificates. Applying a request
/// returns a new state sharing everything it did not touch (sorted immutable trees: one
/// change costs O(log n), not a copy), so the supervisor can validate a whole batch and keep
/// or drop it atomically, and two snapshots can be diffed into the requests between them.
///
/// Invariants every state holds (Apply refuses whatever would break one): a frontend's
/// listener exists with the frontend's protocol; a frontend's cluster exists (deny frontends
/// have none); backends belong to existing clusters; certificates sit on HTTPS listeners;
/// a TCP listener routes to at most one cluster.
/// </summary>
public sealed partial class ConfigState : IEquatable<ConfigState>
{
    public static readonly ConfigState Empty = new(
        ImmutableSortedDictionary.Create<string, ListenerInfo>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, Cluster>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<BackendKey, Backend>>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<HttpFrontendKey, HttpFrontend>(HttpFrontendKey.Comparer),
        ImmutableSortedDictionary.Create<HttpFrontendKey, HttpFrontend>(HttpFrontendKey.Comparer),
        ImmutableSortedDictionary.Create<string, TcpFrontend>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, CertificateAndKey>>(StringComparer.Ordinal),
        backendCount: 0,
        certificateCount: 0);

    private static readonly ImmutableSortedDictionary<BackendKey, Backend> NoBackends =
        ImmutableSortedDictionary.Create<BackendKey, Backend>(BackendKey.Comparer);

    private static readonly ImmutableSortedDictionary<string, CertificateAndKey> NoCertificates =
        ImmutableSortedDictionary.Create<string, CertificateAndKey>(StringComparer.Ordinal);

    private ConfigState(
        ImmutableSortedDictionary<string, ListenerInfo> listeners,
        ImmutableSortedDictionary<string, Cluster> clusters,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<BackendKey, Backend>> backends,
        ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> httpFrontends,
        ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> httpsFrontends,
        ImmutableSortedDictionary<string, TcpFrontend> tcpFrontends,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, CertificateAndKey>> certificates,
        int backendCount,
        int certificateCount)
    {
        Listeners = listeners;
        Clusters = clusters;
        Backends = backends;
        HttpFrontends = httpFrontends;
        HttpsFrontends = httpsFrontends;
        TcpFrontends = tcpFrontends;
        Certificates = certificates;
        BackendCount = backendCount;
        CertificateCount = certificateCount;
    }

    /// <summary>By address; each with its configuration and whether it accepts connections.</summary>
    public ImmutableSortedDictionary<string, ListenerInfo> Listeners { get; }

    public ImmutableSortedDictionary<string, Cluster> Clusters { get; }

    /// <summary>By cluster id; a cluster without backends has no entry.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<BackendKey, Backend>> Backends { get; }

    public ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> HttpFrontends { get; }

    public ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> HttpsFrontends { get; }

    /// <summary>By listener address: a TCP listener routes every connection to one cluster.</summary>
    public ImmutableSortedDictionary<string, TcpFrontend> TcpFrontends { get; }

    /// <summary>By listener address, then fingerprint; names are always resolved (never empty).</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, CertificateAndKey>> Certificates { get; }

    public int ListenerCount => Listeners.Count;

    public int ClusterCount => Clusters.Count;

    public int FrontendCount => HttpFrontends.Count + HttpsFrontends.Count + TcpFrontends.Count;

    public int BackendCount { get; }

    public int CertificateCount { get; }

    public ImmutableSortedDictionary<BackendKey, Backend> BackendsOf(string clusterId) =>
        Backends.TryGetValue(clusterId, out var backends) ? backends : NoBackends;

    public ImmutableSortedDictionary<string, CertificateAndKey> CertificatesOf(string address) =>
        Certificates.TryGetValue(address, out var certificates) ? certificates : NoCertificates;

    private ConfigState With(
        ImmutableSortedDictionary<string, ListenerInfo>? listeners = null,
        ImmutableSortedDictionary<string, Cluster>? clusters = null,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<BackendKey, Backend>>? backends = null,
        ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend>? httpFrontends = null,
        ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend>? httpsFrontends = null,
        ImmutableSortedDictionary<string, TcpFrontend>? tcpFrontends = null,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, CertificateAndKey>>? certificates = null,
        int? backendCount = null,
        int? certificateCount = null) =>
        new(
            listeners ?? Listeners,
            clusters ?? Clusters,
            backends ?? Backends,
            httpFrontends ?? HttpFrontends,
            httpsFrontends ?? HttpsFrontends,
            tcpFrontends ?? TcpFrontends,
            certificates ?? Certificates,
            backendCount ?? BackendCount,
            certificateCount ?? CertificateCount);

    public bool Equals(ConfigState? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        return other is not null
            && BackendCount == other.BackendCount
            && CertificateCount == other.CertificateCount
            && SameEntries(Listeners, other.Listeners)
            && SameEntries(Clusters, other.Clusters)
            && SameNested(Backends, other.Backends)
            && SameEntries(HttpFrontends, other.HttpFrontends)
            && SameEntries(HttpsFrontends, other.HttpsFrontends)
            && SameEntries(TcpFrontends, other.TcpFrontends)
            && SameNested(Certificates, other.Certificates);
    }

    public override bool Equals(object? obj) => obj is ConfigState other && Equals(other);

    /// <summary>Cheap and consistent with <see cref="Equals(ConfigState)"/>; states are rarely hashed.</summary>
    public override int GetHashCode() =>
        HashCode.Combine(ListenerCount, ClusterCount, HttpFrontends.Count, HttpsFrontends.Count, TcpFrontends.Count, BackendCount, CertificateCount);

    public override string ToString() =>
        $"ConfigState({ListenerCount} listeners, {ClusterCount} clusters, {FrontendCount} frontends, {BackendCount} backends, {CertificateCount} certificates)";

    public static bool operator ==(ConfigState? left, ConfigState? right) => Equals(left, right);

    public static bool operator !=(ConfigState? left, ConfigState? right) => !Equals(left, right);

    private static bool SameEntries<TKey, TValue>(ImmutableSortedDictionary<TKey, TValue> x, ImmutableSortedDictionary<TKey, TValue> y)
        where TKey : notnull
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        if (x.Count != y.Count)
        {
            return false;
        }
        var values = EqualityComparer<TValue>.Default;
        using var left = x.GetEnumerator();
        using var right = y.GetEnumerator();
        while (left.MoveNext() && right.MoveNext())
        {
            if (x.KeyComparer.Compare(left.Current.Key, right.Current.Key) != 0 || !values.Equals(left.Current.Value, right.Current.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameNested<TKey, TValue>(
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<TKey, TValue>> x,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<TKey, TValue>> y)
        where TKey : notnull
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        if (x.Count != y.Count)
        {
            return false;
        }
        using var left = x.GetEnumerator();
        using var right = y.GetEnumerator();
        while (left.MoveNext() && right.MoveNext())
        {
            if (!string.Equals(left.Current.Key, right.Current.Key, StringComparison.Ordinal)
                || !SameEntries(left.Current.Value, right.Current.Value))
            {
                return false;
            }
        }
        return true;
    }
}
