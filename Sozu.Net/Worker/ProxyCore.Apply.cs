using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Validation;
using Sozu.Net.Backends;
using Sozu.Net.Health;
using Sozu.Net.Listeners;
using Sozu.Net.Sockets;
using Sozu.Net.Tls;

namespace Sozu.Net.Worker;

/// <summary>
/// Applying configuration diffs on the loop thread. Each request is checked against the
/// live state first and applied only when valid, so a refused request changes nothing.
/// Validation here is what the loop needs to stay consistent; the full model validation is
/// the supervisor's <c>ConfigState</c>, which sends only requests it accepted.
/// </summary>
internal sealed partial class ProxyCore
{
    public ApplyResult Apply(ConfigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request switch
        {
            AddHttpListener r => AddListener(r.Listener),
            AddHttpsListener r => AddListener(r.Listener),
            AddTcpListener r => AddListener(r.Listener),
            RemoveListener r => RemoveListener(r.Address, r.Proxy),
            ActivateListener r => ActivateListener(r.Address, r.Proxy, r.FromScm),
            DeactivateListener r => DeactivateListener(r.Address, r.Proxy, r.ToScm),
            UpdateHttpListener r => UpdateListener(r.Address, ListenerProtocol.Http, c => r.ApplyTo((HttpListenerConfig)c)),
            UpdateHttpsListener r => UpdateListener(r.Address, ListenerProtocol.Https, c => r.ApplyTo((HttpsListenerConfig)c)),
            UpdateTcpListener r => UpdateListener(r.Address, ListenerProtocol.Tcp, c => r.ApplyTo((TcpListenerConfig)c)),
            AddCluster r => AddCluster(r.Cluster),
            RemoveCluster r => RemoveCluster(r.ClusterId),
            AddBackend r => AddBackend(r.Backend),
            RemoveBackend r => RemoveBackend(r.ClusterId, r.BackendId, r.Address),
            AddTcpFrontend r => AddTcpFrontend(r.Frontend),
            RemoveTcpFrontend r => RemoveTcpFrontend(r.Frontend),
            AddHttpFrontend r => AddHttpFrontend(r.Frontend, ListenerProtocol.Http),
            RemoveHttpFrontend r => RemoveHttpFrontend(r.Frontend, ListenerProtocol.Http),
            AddHttpsFrontend r => AddHttpFrontend(r.Frontend, ListenerProtocol.Https),
            RemoveHttpsFrontend r => RemoveHttpFrontend(r.Frontend, ListenerProtocol.Https),
            AddCertificate r => WithTls(r.Address, tls => tls.Add(r.Certificate)),
            ReplaceCertificate r => WithTls(r.Address, tls => tls.Replace(r.OldFingerprint, r.NewCertificate)),
            RemoveCertificate r => WithTls(r.Address, tls => tls.Remove(r.Fingerprint)),
            _ => ApplyResult.Failure($"{request.GetType().Name} is not a request a worker applies"),
        };
    }

    private bool TryFindListener(string address, ListenerProtocol protocol, out Listener listener, out ApplyResult failure)
    {
        listener = null!;
        if (!NativeAddress.TryParse(address, out var parsed, out var error))
        {
            failure = ApplyResult.Failure(error);
            return false;
        }
        if (!_listeners.TryGetValue(parsed.ToString(), out var found))
        {
            failure = ApplyResult.Failure($"no {protocol.ToString().ToUpperInvariant()} listener at {address}");
            return false;
        }
        if (found.Protocol != protocol)
        {
            failure = ApplyResult.Failure($"the listener at {address} is {found.Protocol.ToString().ToUpperInvariant()}, not {protocol.ToString().ToUpperInvariant()}");
            return false;
        }
        listener = found;
        failure = ApplyResult.Success;
        return true;
    }

    private ApplyResult AddListener(ListenerConfig config)
    {
        if (!NativeAddress.TryParse(config.Address, out var address, out var error))
        {
            return ApplyResult.Failure(error);
        }
        var key = address.ToString();
        if (_listeners.ContainsKey(key))
        {
            return ApplyResult.Failure($"a listener already exists at {config.Address}");
        }
        if (config.FrontTimeout < 1 || config.BackTimeout < 1 || config.ConnectTimeout < 1)
        {
            return ApplyResult.Failure($"listener {config.Address}: timeouts must be at least 1 second");
        }
        var listener = new Listener(this, config, address);
        if (config.Protocol != ListenerProtocol.Tcp)
        {
            if (!HttpListenerState.TryCreate(config, Options.RetryAfterSeconds, out var http, out error))
            {
                return ApplyResult.Failure($"listener {config.Address}: {error}");
            }
            listener.Http = http;
        }
        if (config is HttpsListenerConfig https)
        {
            if (!TlsListenerState.TryCreate(https, TicketKeys, out var tls, out error))
            {
                return ApplyResult.Failure($"listener {config.Address}: {error}");
            }
            listener.Tls = tls;
        }
        _listeners.Add(key, listener);
        return ApplyResult.Success;
    }

    private ApplyResult RemoveListener(string address, ListenerProtocol protocol)
    {
        if (!TryFindListener(address, protocol, out var listener, out var failure))
        {
            return failure;
        }
        listener.Deactivate();
        _listeners.Remove(listener.Key);
        // Open connections keep their contexts (OpenSSL counts references); new ones cannot come.
        listener.Tls?.Dispose();
        return ApplyResult.Success;
    }

    private ApplyResult ActivateListener(string address, ListenerProtocol protocol, bool fromScm)
    {
        if (!TryFindListener(address, protocol, out var listener, out var failure))
        {
            return failure;
        }
        // An inherited socket is used whenever there is one (the supervisor's shared socket);
        // from_scm demands one.
        var inherited = -1;
        if (Options.InheritedListenerFds.TryGetValue(listener.Key, out var fd) || Options.InheritedListenerFds.TryGetValue(address, out fd)
            || _fetchedListenerFds.TryGetValue(listener.Key, out fd))
        {
            inherited = fd;
        }
        else if (fromScm)
        {
            return ApplyResult.Failure($"no inherited socket for {address}");
        }
        else if (Options.SharedListenerSource is { } source && !listener.Active)
        {
            // Added at runtime: the supervisor's shared socket, so its accept queue outlives this
            // worker too. Without it (no supervisor, an error) the listener binds its own.
            fd = global::Sozu.Net.Listeners.SharedListenSocket.Fetch(source, listener.Config.Address, out _);
            if (fd >= 0)
            {
                _fetchedListenerFds[listener.Key] = fd;
                inherited = fd;
            }
        }
        return listener.Activate(inherited, out var error) ? ApplyResult.Success : ApplyResult.Failure(error);
    }

    private ApplyResult DeactivateListener(string address, ListenerProtocol protocol, bool toScm)
    {
        if (!TryFindListener(address, protocol, out var listener, out var failure))
        {
            return failure;
        }
        if (!toScm)
        {
            listener.Deactivate();
            return ApplyResult.Success;
        }
        // An upgrade: the socket stays open (queued connections are not lost) for the next process.
        var fd = listener.Detach();
        if (fd >= 0)
        {
            _detachedListenerFds[listener.Key] = fd;
        }
        return ApplyResult.Success;
    }

    private ApplyResult UpdateListener(string address, ListenerProtocol protocol, Func<ListenerConfig, ListenerConfig> patch)
    {
        if (!TryFindListener(address, protocol, out var listener, out var failure))
        {
            return failure;
        }
        var updated = patch(listener.Config);
        if (updated.FrontTimeout < 1 || updated.BackTimeout < 1 || updated.ConnectTimeout < 1)
        {
            return ApplyResult.Failure($"listener {address}: timeouts must be at least 1 second");
        }
        if (listener.Http is not null)
        {
            if (!HttpListenerState.TryCreate(updated, Options.RetryAfterSeconds, out var http, out var error))
            {
                return ApplyResult.Failure($"listener {address}: {error}");
            }
            if (listener.Tls is not null && updated is HttpsListenerConfig https)
            {
                var tlsUpdate = listener.Tls.Update(https);
                if (!tlsUpdate.Ok)
                {
                    return ApplyResult.Failure($"listener {address}: {tlsUpdate.Error}");
                }
            }
            listener.Http.UpdateFrom(http);
        }
        listener.Update(updated);
        return ApplyResult.Success;
    }




    private ApplyResult AddCluster(Cluster cluster)
    {
        // The supervisor's own validation (ConfigState.Apply asks the same), so what it accepted is never refused here.
        if (ConfigValidator.Validate(cluster) is { } invalid)
        {
            return ApplyResult.Failure($"cluster {cluster?.ClusterId}: {invalid}");
        }
        if (_clusters.TryGetValue(cluster.ClusterId, out var existing))
        {
            if (!existing.TryUpdate(cluster, out var updateError))
            {
                return ApplyResult.Failure(updateError);
            }
            ConfigureHealthCheck(existing);
            return ApplyResult.Success;
        }
        if (!ClusterRuntime.TryCreate(cluster, out var created, out var error))
        {
            return ApplyResult.Failure(error);
        }
        _clusters.Add(cluster.ClusterId, created);
        ConfigureHealthCheck(created);
        return ApplyResult.Success;
    }

    /// <summary>Starts, retunes or stops the cluster's active health check to match its configuration.</summary>
    private void ConfigureHealthCheck(ClusterRuntime cluster)
    {
        if (cluster.Config.HealthCheck is not { } check)
        {
            cluster.HealthChecker?.Stop(releaseBackends: true);
            cluster.HealthChecker = null;
            return;
        }
        cluster.HealthChecker ??= new HealthChecker(Loop, Events, cluster);
        cluster.HealthChecker.Configure(check);
    }

    private ApplyResult RemoveCluster(string clusterId)
    {
        if (!_clusters.Remove(clusterId, out var cluster))
        {
            return ApplyResult.Failure($"no cluster '{clusterId}'");
        }
        cluster.HealthChecker?.Stop();
        foreach (var backend in cluster.Backends)
        {
            Retire(backend);
        }
        return ApplyResult.Success;
    }

    private ApplyResult AddBackend(Backend backend)
    {
        if (!NativeAddress.TryParse(backend.Address, out var address, out var error))
        {
            return ApplyResult.Failure($"backend {backend.BackendId}: {error}");
        }
        if (backend.Weight < 0)
        {
            return ApplyResult.Failure($"backend {backend.BackendId}: weight cannot be negative");
        }
        if (!_clusters.TryGetValue(backend.ClusterId, out var cluster))
        {
            // Sōzu accepts backends before their cluster; they serve with the default cluster settings.
            ClusterRuntime.TryCreate(new Cluster { ClusterId = backend.ClusterId }, out cluster, out _);
            _clusters.Add(backend.ClusterId, cluster);
        }
        var existing = cluster.FindBackend(backend.BackendId, backend.Address);
        if (existing is not null)
        {
            existing.Update(backend);
            cluster.BackendsChanged();
            return ApplyResult.Success;
        }
        var added = new BackendRuntime(backend, address);
        cluster.Add(added);
        cluster.HealthChecker?.Watch(added);
        return ApplyResult.Success;
    }

    private ApplyResult RemoveBackend(string clusterId, string backendId, string address)
    {
        if (!_clusters.TryGetValue(clusterId, out var cluster))
        {
            return ApplyResult.Failure($"no cluster '{clusterId}'");
        }
        var backend = cluster.FindBackend(backendId, address);
        if (backend is null)
        {
            return ApplyResult.Failure($"no backend '{backendId}' at {address} in cluster '{clusterId}'");
        }
        cluster.Remove(backend);
        Retire(backend);
        return ApplyResult.Success;
    }

    /// <summary>
    /// Drains a removed backend: never picked again (sticky cookies included), its idle
    /// connections closed now, its exchanges under way left to finish; the event
    /// removed_backend_has_no_connections follows the last one (at once when there is none).
    /// </summary>
    private void Retire(BackendRuntime backend)
    {
        backend.Removed = true;
        backend.Probe?.Stop();
        backend.Probe = null;
        BackendPool.CloseAllIdle(backend);
        if (backend.ActiveConnections == 0)
        {
            Events.BackendDrained(backend);
        }
    }

    private ApplyResult AddTcpFrontend(TcpFrontend frontend)
    {
        if (!TryFindListener(frontend.Address, ListenerProtocol.Tcp, out var listener, out var failure))
        {
            return failure;
        }
        if (listener.TcpClusterId is { } bound && bound != frontend.ClusterId)
        {
            return ApplyResult.Failure($"the TCP listener {frontend.Address} already sends to cluster '{bound}'");
        }
        listener.TcpClusterId = frontend.ClusterId;
        return ApplyResult.Success;
    }

    private ApplyResult RemoveTcpFrontend(TcpFrontend frontend)
    {
        if (!TryFindListener(frontend.Address, ListenerProtocol.Tcp, out var listener, out var failure))
        {
            return failure;
        }
        if (listener.TcpClusterId != frontend.ClusterId)
        {
            return ApplyResult.Failure($"no TCP frontend for cluster '{frontend.ClusterId}' on {frontend.Address}");
        }
        listener.TcpClusterId = null;
        return ApplyResult.Success;
    }

    private ApplyResult AddHttpFrontend(HttpFrontend frontend, ListenerProtocol protocol)
    {
        if (!TryFindListener(frontend.Address, protocol, out var listener, out var failure))
        {
            return failure;
        }
        return listener.Http!.AddFrontend(frontend);
    }

    private ApplyResult RemoveHttpFrontend(HttpFrontend frontend, ListenerProtocol protocol)
    {
        if (!TryFindListener(frontend.Address, protocol, out var listener, out var failure))
        {
            return failure;
        }
        return listener.Http!.RemoveFrontend(frontend);
    }

    /// <summary>Certificate changes on an HTTPS listener; a refused change leaves its certificates as they were.</summary>
    private ApplyResult WithTls(string address, Func<TlsListenerState, ApplyResult> change)
    {
        if (!TryFindListener(address, ListenerProtocol.Https, out var listener, out var failure))
        {
            return failure;
        }
        var result = change(listener.Tls!);
        return result.Ok ? result : ApplyResult.Failure($"listener {address}: {result.Error}");
    }
}
