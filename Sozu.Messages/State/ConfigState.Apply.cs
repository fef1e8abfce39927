using System.Collections.Immutable;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Validation;

namespace Sozu.Messages.State;

public sealed partial class ConfigState
{
    /// <summary>
    /// Applies one request. On error the result holds this unchanged state and a message naming
    /// the request, the field and the offending value. Never throws on bad input.
    /// </summary>
    public ApplyResult Apply(ConfigRequest request)
    {
        var (state, error) = ApplyCore(request);
        return error is null ? ApplyResult.Ok(state!) : ApplyResult.Fail(this, $"{RequestNames.Of(request)}: {error}");
    }

    /// <summary>All or nothing: either every request applies, in order, or the state is unchanged.</summary>
    public ApplyResult ApplyAll(IEnumerable<ConfigRequest> requests)
    {
        if (requests is null)
        {
            return ApplyResult.Fail(this, "the list of requests must not be null");
        }
        var state = this;
        var index = 0;
        foreach (var request in requests)
        {
            var (next, error) = state.ApplyCore(request);
            if (error is not null)
            {
                return ApplyResult.Fail(this, $"request {index} ({RequestNames.Of(request)}): {error}; nothing was applied");
            }
            state = next!;
            index++;
        }
        return ApplyResult.Ok(state);
    }

    private (ConfigState? State, string? Error) ApplyCore(ConfigRequest? request) => request switch
    {
        null => (null, "the request must not be null"),
        AddCluster r => AddClusterCore(r.Cluster),
        RemoveCluster r => RemoveClusterCore(r.ClusterId),
        AddBackend r => AddBackendCore(r.Backend),
        RemoveBackend r => RemoveBackendCore(r),
        AddHttpListener r => AddListenerCore(r.Listener),
        AddHttpsListener r => AddListenerCore(r.Listener),
        AddTcpListener r => AddListenerCore(r.Listener),
        RemoveListener r => RemoveListenerCore(r.Address, r.Proxy),
        ActivateListener r => SetActive(r.Address, r.Proxy, active: true),
        DeactivateListener r => SetActive(r.Address, r.Proxy, active: false),
        UpdateHttpListener r => UpdateListenerCore(r.Address, ListenerProtocol.Http, l => r.ApplyTo((HttpListenerConfig)l)),
        UpdateHttpsListener r => UpdateListenerCore(r.Address, ListenerProtocol.Https, l => r.ApplyTo((HttpsListenerConfig)l)),
        UpdateTcpListener r => UpdateListenerCore(r.Address, ListenerProtocol.Tcp, l => r.ApplyTo((TcpListenerConfig)l)),
        AddHttpFrontend r => AddHttpFrontendCore(r.Frontend, https: false),
        AddHttpsFrontend r => AddHttpFrontendCore(r.Frontend, https: true),
        RemoveHttpFrontend r => RemoveHttpFrontendCore(r.Frontend, https: false),
        RemoveHttpsFrontend r => RemoveHttpFrontendCore(r.Frontend, https: true),
        AddTcpFrontend r => AddTcpFrontendCore(r.Frontend),
        RemoveTcpFrontend r => RemoveTcpFrontendCore(r.Frontend),
        AddCertificate r => AddCertificateCore(r.Address, r.Certificate),
        ReplaceCertificate r => ReplaceCertificateCore(r),
        RemoveCertificate r => RemoveCertificateCore(r.Address, r.Fingerprint),
        _ => (null, $"{request.GetType().Name} is not a configuration change the state knows"),
    };

    private static (ConfigState?, string?) Error(string message) => (null, message);

    // ---- clusters -------------------------------------------------------------------------

    private (ConfigState?, string?) AddClusterCore(Cluster cluster)
    {
        if (ConfigValidator.Validate(cluster) is { } error)
        {
            return Error(error);
        }
        if (cluster.ProxyProtocol is ProxyProtocolConfig.ExpectHeader
            && (FrontendsOf(HttpFrontends, cluster.ClusterId).Count > 0 || FrontendsOf(HttpsFrontends, cluster.ClusterId).Count > 0))
        {
            return Error(ExpectHeaderOnHttp(cluster.ClusterId));
        }
        return (With(clusters: Clusters.SetItem(cluster.ClusterId, cluster)), null);
    }

    // A cluster's expect_header makes its tcp listeners read a PROXY header; an http listener is
    // shared by many clusters and decides before any route is known, so on http it would do nothing.
    private static string ExpectHeaderOnHttp(string clusterId) =>
        $"cluster '{clusterId}': proxy_protocol expect_header acts on tcp frontends only; an http or https listener expects a PROXY header with its own expect_proxy";

    /// <summary>
    /// Removes the cluster with its backends and every frontend routing to it. Sōzu's state.rs
    /// removes only the cluster and leaves its frontends and backends behind, pointing at
    /// nothing (and reappearing if the id is reused); here a frontend always has its cluster,
    /// so they go together. Diff still removes frontends and backends explicitly first.
    /// </summary>
    private (ConfigState?, string?) RemoveClusterCore(string clusterId)
    {
        if (Fields.Id("cluster_id", clusterId) is { } error)
        {
            return Error(error);
        }
        if (!Clusters.ContainsKey(clusterId))
        {
            return Error($"no cluster with cluster_id '{clusterId}'");
        }
        var removedBackends = BackendsOf(clusterId).Count;
        return (With(
            clusters: Clusters.Remove(clusterId),
            backends: Backends.Remove(clusterId),
            httpFrontends: WithoutCluster(HttpFrontends, clusterId),
            httpsFrontends: WithoutCluster(HttpsFrontends, clusterId),
            tcpFrontends: WithoutCluster(TcpFrontends, clusterId),
            backendCount: BackendCount - removedBackends), null);
    }

    private static ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> WithoutCluster(
        ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> frontends, string clusterId)
    {
        var keys = new List<HttpFrontendKey>();
        foreach (var (key, frontend) in frontends)
        {
            if (string.Equals(frontend.ClusterId, clusterId, StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }
        return keys.Count == 0 ? frontends : frontends.RemoveRange(keys);
    }

    private static ImmutableSortedDictionary<string, TcpFrontend> WithoutCluster(
        ImmutableSortedDictionary<string, TcpFrontend> frontends, string clusterId)
    {
        var keys = new List<string>();
        foreach (var (key, frontend) in frontends)
        {
            if (string.Equals(frontend.ClusterId, clusterId, StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }
        return keys.Count == 0 ? frontends : frontends.RemoveRange(keys);
    }

    // ---- backends -------------------------------------------------------------------------

    /// <summary>An existing (backend_id, address) is updated in place (weight, sticky id, backup).</summary>
    private (ConfigState?, string?) AddBackendCore(Backend backend)
    {
        if (ConfigValidator.Validate(backend) is { } error)
        {
            return Error(error);
        }
        if (!Clusters.ContainsKey(backend.ClusterId))
        {
            return Error($"no cluster with cluster_id '{backend.ClusterId}' for backend '{backend.BackendId}'");
        }
        var backends = BackendsOf(backend.ClusterId);
        var key = BackendKey.Of(backend);
        var added = backends.ContainsKey(key) ? 0 : 1;
        return (With(
            backends: Backends.SetItem(backend.ClusterId, backends.SetItem(key, backend)),
            backendCount: BackendCount + added), null);
    }

    private (ConfigState?, string?) RemoveBackendCore(RemoveBackend request)
    {
        if ((Fields.Id("cluster_id", request.ClusterId) ?? Fields.Id("backend_id", request.BackendId)) is { } error)
        {
            return Error(error);
        }
        var key = new BackendKey(request.BackendId, request.Address ?? "");
        var backends = BackendsOf(request.ClusterId);
        if (!backends.ContainsKey(key))
        {
            return Error($"cluster '{request.ClusterId}' has no backend '{request.BackendId}' at address '{request.Address}'");
        }
        var remaining = backends.Remove(key);
        return (With(
            backends: remaining.IsEmpty ? Backends.Remove(request.ClusterId) : Backends.SetItem(request.ClusterId, remaining),
            backendCount: BackendCount - 1), null);
    }

    // ---- listeners ------------------------------------------------------------------------

    /// <summary>A new listener is inactive until activate_listener, so workers bind it only once configured.</summary>
    private (ConfigState?, string?) AddListenerCore(ListenerConfig listener)
    {
        if (ConfigValidator.Validate(listener) is { } error)
        {
            return Error(error);
        }
        if (Listeners.TryGetValue(listener.Address, out var existing))
        {
            return Error($"a {Name(existing.Listener.Protocol)} listener already exists at address '{listener.Address}'");
        }
        return (With(listeners: Listeners.Add(listener.Address, new ListenerInfo(listener, Active: false))), null);
    }

    /// <summary>A listener's certificates go with it; its frontends belong to clusters, so they must be removed first.</summary>
    private (ConfigState?, string?) RemoveListenerCore(string address, ListenerProtocol protocol)
    {
        if (FindListener(address, protocol, out _) is { } error)
        {
            return Error(error);
        }
        var users = CountFrontendsAt(address);
        if (users > 0)
        {
            return Error($"the {Name(protocol)} listener at address '{address}' is still used by {users} frontend(s); remove them first");
        }
        var certificates = CertificatesOf(address).Count;
        return (With(
            listeners: Listeners.Remove(address),
            certificates: certificates == 0 ? Certificates : Certificates.Remove(address),
            certificateCount: CertificateCount - certificates), null);
    }

    private (ConfigState?, string?) SetActive(string address, ListenerProtocol protocol, bool active)
    {
        if (FindListener(address, protocol, out var info) is { } error)
        {
            return Error(error);
        }
        return info!.Active == active
            ? (this, null)
            : (With(listeners: Listeners.SetItem(address, info with { Active = active })), null);
    }

    private (ConfigState?, string?) UpdateListenerCore(string address, ListenerProtocol protocol, Func<ListenerConfig, ListenerConfig> patch)
    {
        if (FindListener(address, protocol, out var info) is { } error)
        {
            return Error(error);
        }
        var patched = patch(info!.Listener);
        if (ConfigValidator.Validate(patched) is { } invalid)
        {
            return Error(invalid);
        }
        return (With(listeners: Listeners.SetItem(address, info with { Listener = patched })), null);
    }




    private string? FindListener(string? address, ListenerProtocol protocol, out ListenerInfo? info)
    {
        info = null;
        if (SocketAddressText.Check("address", address) is { } error)
        {
            return error;
        }
        if (Fields.Defined("proxy", protocol) is { } protocolError)
        {
            return protocolError;
        }
        if (!Listeners.TryGetValue(address!, out info))
        {
            return $"no {Name(protocol)} listener at address '{address}'";
        }
        if (info.Listener.Protocol != protocol)
        {
            return $"the listener at address '{address}' is {Name(info.Listener.Protocol)}, not {Name(protocol)}";
        }
        return null;
    }

    private int CountFrontendsAt(string address)
    {
        var count = TcpFrontends.ContainsKey(address) ? 1 : 0;
        foreach (var key in HttpFrontends.Keys)
        {
            count += string.Equals(key.Address, address, StringComparison.Ordinal) ? 1 : 0;
        }
        foreach (var key in HttpsFrontends.Keys)
        {
            count += string.Equals(key.Address, address, StringComparison.Ordinal) ? 1 : 0;
        }
        return count;
    }

    private static string Name(ListenerProtocol protocol) => protocol switch
    {
        ListenerProtocol.Http => "http",
        ListenerProtocol.Https => "https",
        ListenerProtocol.Tcp => "tcp",
        _ => protocol.ToString(),
    };

    // ---- frontends ------------------------------------------------------------------------

    private (ConfigState?, string?) AddHttpFrontendCore(HttpFrontend frontend, bool https)
    {
        var protocol = https ? ListenerProtocol.Https : ListenerProtocol.Http;
        if ((ConfigValidator.Validate(frontend, https) ?? FindListener(frontend.Address, protocol, out _)) is { } error)
        {
            return Error(error);
        }
        if (frontend.ClusterId is not null && !Clusters.ContainsKey(frontend.ClusterId))
        {
            return Error($"no cluster with cluster_id '{frontend.ClusterId}' (a deny frontend has no cluster_id)");
        }
        if (frontend.ClusterId is not null && Clusters[frontend.ClusterId].ProxyProtocol is ProxyProtocolConfig.ExpectHeader)
        {
            return Error(ExpectHeaderOnHttp(frontend.ClusterId));
        }
        var frontends = https ? HttpsFrontends : HttpFrontends;
        var key = HttpFrontendKey.Of(frontend);
        if (frontends.TryGetValue(key, out var existing))
        {
            return Error($"a frontend {key} already exists, routing to {Target(existing.ClusterId)}");
        }
        frontends = frontends.Add(key, frontend);
        return (https ? With(httpsFrontends: frontends) : With(httpFrontends: frontends), null);
    }

    /// <summary>The request must name the frontend's own cluster, so a typo cannot remove another cluster's route.</summary>
    private (ConfigState?, string?) RemoveHttpFrontendCore(HttpFrontend frontend, bool https)
    {
        if (ConfigValidator.Validate(frontend, https: true) is { } error)
        {
            return Error(error);
        }
        var frontends = https ? HttpsFrontends : HttpFrontends;
        var key = HttpFrontendKey.Of(frontend);
        if (!frontends.TryGetValue(key, out var existing))
        {
            return Error($"no {(https ? "https" : "http")} frontend {key}");
        }
        if (!string.Equals(existing.ClusterId, frontend.ClusterId, StringComparison.Ordinal))
        {
            return Error($"the frontend {key} routes to {Target(existing.ClusterId)}, not {Target(frontend.ClusterId)}");
        }
        frontends = frontends.Remove(key);
        return (https ? With(httpsFrontends: frontends) : With(httpFrontends: frontends), null);
    }

    private static string Target(string? clusterId) => clusterId is null ? "deny (no cluster)" : $"cluster '{clusterId}'";

    private (ConfigState?, string?) AddTcpFrontendCore(TcpFrontend frontend)
    {
        if ((ConfigValidator.Validate(frontend) ?? FindListener(frontend.Address, ListenerProtocol.Tcp, out _)) is { } error)
        {
            return Error(error);
        }
        if (!Clusters.ContainsKey(frontend.ClusterId))
        {
            return Error($"no cluster with cluster_id '{frontend.ClusterId}'");
        }
        if (TcpFrontends.TryGetValue(frontend.Address, out var existing))
        {
            return Error($"the tcp listener at address '{frontend.Address}' already routes to cluster '{existing.ClusterId}'");
        }
        return (With(tcpFrontends: TcpFrontends.Add(frontend.Address, frontend)), null);
    }

    private (ConfigState?, string?) RemoveTcpFrontendCore(TcpFrontend frontend)
    {
        if (ConfigValidator.Validate(frontend) is { } error)
        {
            return Error(error);
        }
        if (!TcpFrontends.TryGetValue(frontend.Address, out var existing))
        {
            return Error($"no tcp frontend at address '{frontend.Address}'");
        }
        if (!string.Equals(existing.ClusterId, frontend.ClusterId, StringComparison.Ordinal))
        {
            return Error($"the tcp frontend at address '{frontend.Address}' routes to cluster '{existing.ClusterId}', not '{frontend.ClusterId}'");
        }
        return (With(tcpFrontends: TcpFrontends.Remove(frontend.Address)), null);
    }

    // ---- certificates ---------------------------------------------------------------------

    /// <summary>Adding the very same certificate again is a no-op (as Sōzu), so two frontends may share one certificate file.</summary>
    private (ConfigState?, string?) AddCertificateCore(string address, CertificateAndKey certificate)
    {
        if (FindListener(address, ListenerProtocol.Https, out _) is { } error)
        {
            return Error(error);
        }
        var (checkedCertificate, invalid) = CertificateCheck.Check(certificate);
        if (checkedCertificate is null)
        {
            return Error(invalid!);
        }
        var certificates = CertificatesOf(address);
        if (certificates.TryGetValue(checkedCertificate.Fingerprint, out var existing))
        {
            return existing == checkedCertificate.Resolved
                ? (this, null)
                : Error($"certificate {checkedCertificate.Fingerprint} is already on listener '{address}' with other names or key; use replace_certificate");
        }
        return (With(
            certificates: Certificates.SetItem(address, certificates.Add(checkedCertificate.Fingerprint, checkedCertificate.Resolved)),
            certificateCount: CertificateCount + 1), null);
    }

    private (ConfigState?, string?) ReplaceCertificateCore(ReplaceCertificate request)
    {
        if (FindListener(request.Address, ListenerProtocol.Https, out _) is { } error)
        {
            return Error(error);
        }
        var certificates = CertificatesOf(request.Address);
        if (request.OldFingerprint is null || !certificates.ContainsKey(request.OldFingerprint))
        {
            return Error($"no certificate with old_fingerprint '{request.OldFingerprint}' on listener '{request.Address}'");
        }
        var (checkedCertificate, invalid) = CertificateCheck.Check(request.NewCertificate);
        if (checkedCertificate is null)
        {
            return Error($"new_certificate: {invalid}");
        }
        var newFingerprint = checkedCertificate.Fingerprint;
        if (!string.Equals(newFingerprint, request.OldFingerprint, StringComparison.Ordinal) && certificates.ContainsKey(newFingerprint))
        {
            return Error($"new_certificate {newFingerprint} is already on listener '{request.Address}'");
        }
        certificates = certificates.Remove(request.OldFingerprint).SetItem(newFingerprint, checkedCertificate.Resolved);
        return (With(certificates: Certificates.SetItem(request.Address, certificates)), null);
    }

    private (ConfigState?, string?) RemoveCertificateCore(string address, string fingerprint)
    {
        if (SocketAddressText.Check("address", address) is { } error)
        {
            return Error(error);
        }
        var certificates = CertificatesOf(address);
        if (fingerprint is null || !certificates.ContainsKey(fingerprint))
        {
            return Error($"no certificate with fingerprint '{fingerprint}' on listener '{address}'");
        }
        var remaining = certificates.Remove(fingerprint);
        return (With(
            certificates: remaining.IsEmpty ? Certificates.Remove(address) : Certificates.SetItem(address, remaining),
            certificateCount: CertificateCount - 1), null);
    }
}
