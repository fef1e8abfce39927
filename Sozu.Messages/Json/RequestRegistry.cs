using System.Collections.Frozen;
using Sozu.Messages.Config;
using Sozu.Messages.Json.Wire;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Json;

/// <summary>Every request of SPEC §4 by its wire name, in one place. A request missing here cannot be sent.</summary>
internal static class RequestRegistry
{
    public static readonly FrozenDictionary<string, RequestWireType> ByName;

    public static readonly FrozenDictionary<Type, RequestWireType> ByType;

    /// <summary>In SPEC §4's order, for listings an operator reads.</summary>
    public static readonly IReadOnlyList<string> Names;

    static RequestRegistry()
    {
        RequestWireType[] all =
        [
            RequestWireType.Create<AddCluster, Cluster>("add_cluster", d => new AddCluster(d), r => r.Cluster),
            RequestWireType.Self<RemoveCluster>("remove_cluster"),
            RequestWireType.Create<AddHttpFrontend, HttpFrontend>("add_http_frontend", d => new AddHttpFrontend(d), r => r.Frontend),
            RequestWireType.Create<RemoveHttpFrontend, HttpFrontend>("remove_http_frontend", d => new RemoveHttpFrontend(d), r => r.Frontend),
            RequestWireType.Create<AddHttpsFrontend, HttpFrontend>("add_https_frontend", d => new AddHttpsFrontend(d), r => r.Frontend),
            RequestWireType.Create<RemoveHttpsFrontend, HttpFrontend>("remove_https_frontend", d => new RemoveHttpsFrontend(d), r => r.Frontend),
            RequestWireType.Create<AddTcpFrontend, TcpFrontend>("add_tcp_frontend", d => new AddTcpFrontend(d), r => r.Frontend),
            RequestWireType.Create<RemoveTcpFrontend, TcpFrontend>("remove_tcp_frontend", d => new RemoveTcpFrontend(d), r => r.Frontend),
            RequestWireType.Create<AddBackend, Backend>("add_backend", d => new AddBackend(d), r => r.Backend),
            RequestWireType.Self<RemoveBackend>("remove_backend"),
            RequestWireType.Create<AddCertificate, AddCertificateData>(
                "add_certificate",
                d => new AddCertificate(d.Address, new CertificateAndKey
                {
                    Certificate = d.Certificate,
                    CertificateChain = d.CertificateChain,
                    Key = d.Key,
                    Names = d.Names,
                    Versions = d.Versions,
                }),
                r => new AddCertificateData
                {
                    Address = r.Address,
                    Certificate = r.Certificate.Certificate,
                    CertificateChain = r.Certificate.CertificateChain,
                    Key = r.Certificate.Key,
                    Names = r.Certificate.Names,
                    Versions = r.Certificate.Versions,
                }),
            RequestWireType.Self<ReplaceCertificate>("replace_certificate"),
            RequestWireType.Self<RemoveCertificate>("remove_certificate"),
            RequestWireType.Create<AddHttpListener, HttpListenerConfig>("add_http_listener", d => new AddHttpListener(d), r => r.Listener),
            RequestWireType.Create<AddHttpsListener, HttpsListenerConfig>("add_https_listener", d => new AddHttpsListener(d), r => r.Listener),
            RequestWireType.Create<AddTcpListener, TcpListenerConfig>("add_tcp_listener", d => new AddTcpListener(d), r => r.Listener),
            RequestWireType.Self<RemoveListener>("remove_listener"),
            RequestWireType.Self<ActivateListener>("activate_listener"),
            RequestWireType.Self<DeactivateListener>("deactivate_listener"),
            RequestWireType.Self<UpdateHttpListener>("update_http_listener"),
            RequestWireType.Self<UpdateHttpsListener>("update_https_listener"),
            RequestWireType.Self<UpdateTcpListener>("update_tcp_listener"),
            RequestWireType.Self<SaveState>("save_state"),
            RequestWireType.Self<LoadState>("load_state"),
            RequestWireType.Self<ReloadConfiguration>("reload_configuration"),
            RequestWireType.Self<Status>("status"),
            RequestWireType.Self<ListWorkers>("list_workers"),
            RequestWireType.Self<ListListeners>("list_listeners"),
            RequestWireType.Self<ListFrontends>("list_frontends"),
            RequestWireType.Self<QueryClusterById>("query_cluster_by_id"),
            RequestWireType.Self<QueryClustersByDomain>("query_clusters_by_domain"),
            RequestWireType.Self<QueryClustersHashes>("query_clusters_hashes"),
            RequestWireType.Self<QueryMetrics>("query_metrics"),
            RequestWireType.Self<QueryCertificates>("query_certificates"),
            RequestWireType.Self<SubscribeEvents>("subscribe_events"),
            RequestWireType.Self<UpgradeWorker>("upgrade_worker"),
            RequestWireType.Self<UpgradeMain>("upgrade_main"),
            RequestWireType.Self<SoftStop>("soft_stop"),
            RequestWireType.Self<HardStop>("hard_stop"),
            RequestWireType.Self<SetLogging>("set_logging"),
            RequestWireType.Self<CountRequests>("count_requests"),
        ];
        ByName = all.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        ByType = all.ToFrozenDictionary(t => t.RequestType);
        Names = Array.ConvertAll(all, t => t.Name);
    }
}
