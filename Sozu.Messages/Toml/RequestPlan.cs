using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Toml;

/// <summary>
/// The requests a file asks for, kept by kind so that they come out in an order an empty state
/// accepts: listeners, clusters, backends, certificates, frontends, then activations.
/// </summary>
internal sealed class RequestPlan(GlobalConfig global)
{
    private readonly List<ListenerEntry> _listeners = [];
    private readonly Dictionary<string, ListenerEntry> _listenersByAddress = new(StringComparer.Ordinal);
    private readonly List<ConfigRequest> _clusters = [];
    private readonly List<ConfigRequest> _backends = [];
    private readonly List<ConfigRequest> _certificates = [];
    private readonly HashSet<(string Address, string Fingerprint)> _certificateKeys = [];
    private readonly List<ConfigRequest> _frontends = [];
    private readonly Dictionary<string, string> _tcpListenerOwners = new(StringComparer.Ordinal);

    public GlobalConfig Global { get; } = global;

    public ListenerEntry? FindListener(string address) => _listenersByAddress.GetValueOrDefault(address);

    public string? TcpListenerOwner(string address) => _tcpListenerOwners.GetValueOrDefault(address);

    public void AddListener(ListenerEntry listener)
    {
        _listeners.Add(listener);
        _listenersByAddress[listener.Config.Address] = listener;
        if (listener.DefaultCertificate is { } certificate)
        {
            AddCertificate(listener.Config.Address, certificate);
        }
    }

    public void AddCluster(Cluster cluster, ValueList<Backend> backends)
    {
        _clusters.Add(new AddCluster(cluster));
        foreach (var backend in backends)
        {
            _backends.Add(new AddBackend(backend));
        }
    }

    public void AddHttpFrontend(FrontendEntry frontend, bool https)
    {
        if (frontend.Certificate is { } certificate)
        {
            AddCertificate(frontend.Address, certificate);
        }
        _frontends.Add(https ? new AddHttpsFrontend(frontend.Http!) : new AddHttpFrontend(frontend.Http!));
    }

    public void AddTcpFrontend(FrontendEntry frontend)
    {
        _tcpListenerOwners[frontend.Address] = frontend.Tcp!.ClusterId;
        _frontends.Add(new AddTcpFrontend(frontend.Tcp));
    }

    public void WarnAboutHttpsListenersWithoutCertificate(LoadContext context)
    {
        foreach (var listener in _listeners)
        {
            if (listener.Config.Protocol == ListenerProtocol.Https && !HasCertificate(listener.Config.Address))
            {
                context.Warning(listener.At, listener.KeyPath,
                    $"the https listener at {listener.Config.Address} has no certificate (neither its own nor a frontend's): TLS handshakes fail until one is added");
            }
        }
    }

    public ValueList<ConfigRequest> ToRequests()
    {
        var requests = new List<ConfigRequest>(_listeners.Count * 2 + _clusters.Count + _backends.Count + _certificates.Count + _frontends.Count);
        foreach (var listener in _listeners)
        {
            requests.Add(listener.Config switch
            {
                HttpListenerConfig http => new AddHttpListener(http),
                HttpsListenerConfig https => new AddHttpsListener(https),
                TcpListenerConfig tcp => new AddTcpListener(tcp),
                _ => throw new InvalidOperationException("unknown listener kind " + listener.Config.GetType().Name),
            });
        }
        requests.AddRange(_clusters);
        requests.AddRange(_backends);
        requests.AddRange(_certificates);
        requests.AddRange(_frontends);
        if (Global.ActivateListeners)
        {
            foreach (var listener in _listeners)
            {
                requests.Add(new ActivateListener(listener.Config.Address, listener.Config.Protocol));
            }
        }
        return ValueList<ConfigRequest>.From(requests);
    }

    private bool HasCertificate(string address)
    {
        foreach (var (certificateAddress, _) in _certificateKeys)
        {
            if (certificateAddress == address)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The same certificate named by several frontends of one listener is added once.</summary>
    private void AddCertificate(string address, CertificateAndKey certificate)
    {
        var fingerprint = CertificateFingerprint.TryCompute(certificate.Certificate) ?? certificate.Certificate;
        if (_certificateKeys.Add((address, fingerprint)))
        {
            _certificates.Add(new AddCertificate(address, certificate));
        }
    }
}
