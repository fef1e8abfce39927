using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Tests.Json;

/// <summary>One filled-in value per message type: every optional field set, so a round trip exercises it.</summary>
internal static class JsonSamples
{
    public static readonly Cluster Cluster = new()
    {
        ClusterId = "app",
        LoadBalancing = LoadBalancingAlgorithm.PowerOfTwo,
        LoadMetric = Config.LoadMetric.ConnectionTime,
        StickySession = true,
        HttpsRedirect = true,
        ProxyProtocol = ProxyProtocolConfig.RelayHeader,
        Answer503 = "HTTP/1.1 503 Service Unavailable\r\n\r\n",
        MaxConnectionsPerIp = 12,
        HealthCheck = new HealthCheckConfig { Uri = "/health", ExpectedStatus = 204 },
    };

    public static readonly Backend Backend = new()
    {
        ClusterId = "app",
        BackendId = "app-0",
        Address = "127.0.0.1:9001",
        Weight = 7,
        StickyId = "s0",
        Backup = true,
    };

    public static readonly HttpFrontend HttpFrontend = new()
    {
        ClusterId = "app",
        Address = "127.0.0.1:8080",
        Hostname = "*.example.com",
        Path = PathRule.Equal("/api"),
        Method = "GET",
        Position = RulePosition.Post,
        Tags = StringMap.From([new("owner", "team-a"), new("env", "prod")]),
        Hsts = new HstsConfig { MaxAge = 10, IncludeSubdomains = true },
    };

    public static readonly TcpFrontend TcpFrontend = new()
    {
        ClusterId = "db",
        Address = "127.0.0.1:5432",
        Tags = StringMap.From([new("k", "v")]),
    };

    public static readonly CertificateAndKey Certificate = new()
    {
        Certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        CertificateChain = ValueList<string>.Of("-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n"),
        Key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        Names = ValueList<string>.Of("example.com", "www.example.com"),
        Versions = ValueList<TlsVersion>.Of(TlsVersion.TlsV12, TlsVersion.TlsV13),
    };

    public static readonly HttpListenerConfig HttpListener = new()
    {
        Address = "127.0.0.1:8080",
        PublicAddress = "203.0.113.1:80",
        ExpectProxy = true,
        FrontTimeout = 61,
        BackTimeout = 31,
        ConnectTimeout = 4,
        StickyName = "SESSION",
        RequestTimeout = 11,
        Answers = StringMap.From([new("404", "HTTP/1.1 404 Not Found\r\n\r\n")]),
    };

    public static readonly HttpsListenerConfig HttpsListener = new()
    {
        Address = "127.0.0.1:8443",
        StickyName = "S",
        Answers = StringMap.From([new("503", "HTTP/1.1 503 Busy\r\n\r\n")]),
        Versions = ValueList<TlsVersion>.Of(TlsVersion.TlsV13),
        CipherList = ValueList<string>.Of("TLS_AES_128_GCM_SHA256"),
        AlpnProtocols = ValueList<string>.Of("http/1.1"),
        Hsts = new HstsConfig { Preload = true },
    };

    public static readonly TcpListenerConfig TcpListener = new() { Address = "127.0.0.1:5432", ExpectProxy = true, BackTimeout = 1 };

    // Samples in three buckets, one of them the overflow, so the bucket bounds and +Inf round-trip.
    private static readonly LatencyMetrics Latency = new(
        TimeHistogram.Empty.Plus(Histogram(180, 200, 250)),
        Histogram(1_000, 1_200, 90_000_000),
        TimeHistogram.Empty);

    private static TimeHistogram Histogram(params long[] samples)
    {
        var counts = new long[TimeBuckets.Count];
        foreach (var sample in samples)
        {
            counts[TimeBuckets.IndexOf(sample)]++;
        }
        return TimeHistogram.FromCounts(counts, samples.Sum());
    }

    public static readonly IReadOnlyDictionary<Type, Request> Requests = new Request[]
    {
        new AddCluster(Cluster),
        new RemoveCluster("app"),
        new AddHttpFrontend(HttpFrontend),
        new RemoveHttpFrontend(HttpFrontend with { ClusterId = null }),
        new AddHttpsFrontend(HttpFrontend with { Path = PathRule.Regex("^/v[0-9]+/") }),
        new RemoveHttpsFrontend(HttpFrontend),
        new AddTcpFrontend(TcpFrontend),
        new RemoveTcpFrontend(TcpFrontend),
        new AddBackend(Backend),
        new RemoveBackend("app", "app-0", "127.0.0.1:9001"),
        new AddCertificate("127.0.0.1:8443", Certificate),
        new ReplaceCertificate("127.0.0.1:8443", "ab12", Certificate),
        new RemoveCertificate("127.0.0.1:8443", "ab12"),
        new AddHttpListener(HttpListener),
        new AddHttpsListener(HttpsListener),
        new AddTcpListener(TcpListener),
        new RemoveListener("127.0.0.1:8080", ListenerProtocol.Http),
        new ActivateListener("127.0.0.1:8443", ListenerProtocol.Https, FromScm: true),
        new DeactivateListener("127.0.0.1:5432", ListenerProtocol.Tcp, ToScm: true),
        new UpdateHttpListener { Address = "127.0.0.1:8080", StickyName = "X", RequestTimeout = 5, Answers = StringMap.From([new("404", "x")]) },
        new UpdateHttpsListener { Address = "127.0.0.1:8443", ExpectProxy = false, Versions = ValueList<TlsVersion>.Of(TlsVersion.TlsV12), Hsts = new HstsConfig() },
        new UpdateTcpListener { Address = "127.0.0.1:5432", PublicAddress = "203.0.113.2:5432", ConnectTimeout = 9 },
        new SaveState("/tmp/state.json"),
        new LoadState("/tmp/state.json"),
        new ReloadConfiguration("/etc/sozu/config.toml"),
        new Status(),
        new ListWorkers(),
        new ListListeners(),
        new ListFrontends("app", "example.com"),
        new QueryClusterById("app"),
        new QueryClustersByDomain("example.com", "/api"),
        new QueryClustersHashes(),
        new QueryMetrics { ClusterIds = ValueList<string>.Of("app"), BackendIds = ValueList<string>.Of("app-0"), MetricNames = ValueList<string>.Of("bytes_in"), List = true },
        new QueryCertificates("example.com", "ab12"),
        new CountRequests(),
        new SubscribeEvents(),
        new UpgradeWorker(3),
        new UpgradeMain(),
        new SoftStop(),
        new HardStop(),
        new SetLogging("debug"),
    }.ToDictionary(r => r.GetType());

    public static readonly Event BackendDown = new(EventKind.BackendDown, "app", "app-0", "127.0.0.1:9001");

    public static readonly IReadOnlyDictionary<Type, AnswerContent> Contents = new AnswerContent[]
    {
        new WorkersContent(ValueList<WorkerInfo>.Of(new WorkerInfo(0, 1234, "running"), new WorkerInfo(1, 1235, "stopping"))),
        new ClustersContent(ValueList<ClusterInfo>.Of(new ClusterInfo(
            Cluster,
            ValueList<HttpFrontend>.Of(HttpFrontend),
            ValueList<HttpFrontend>.Empty,
            ValueList<TcpFrontend>.Of(TcpFrontend),
            ValueList<Backend>.Of(Backend, Backend with { BackendId = "app-1", StickyId = null })))),
        new ClustersHashesContent(ValueList<ClusterHash>.Of(new ClusterHash("app", ulong.MaxValue))),
        new ListenersContent(ValueList<ListenerInfo>.Of(
            new ListenerInfo(HttpListener, true),
            new ListenerInfo(HttpsListener, false),
            new ListenerInfo(TcpListener, true))),
        new FrontendsContent(ValueList<HttpFrontend>.Of(HttpFrontend), ValueList<HttpFrontend>.Of(HttpFrontend with { Hostname = "*" }), ValueList<TcpFrontend>.Of(TcpFrontend)),
        new CertificatesContent(ValueList<CertificateSummary>.Of(new CertificateSummary("127.0.0.1:8443", "ab12", ValueList<string>.Of("example.com")))),
        new RequestCountsContent(StringMap.From([new("add_backend", "3"), new("status", "1")])),
        new EventContent(BackendDown),
        new MetricsContent(
            new ProxyMetrics(2, 5, 7, 2000, 1, 3, 2, TrafficMetrics.Zero with { Requests = 10, Status2xx = 9, Status5xx = 1, BytesIn = 1234 }),
            ValueList<ListenerMetrics>.Of(
                new ListenerMetrics("127.0.0.1:8080", "http", TrafficMetrics.Zero with { Requests = 10 }),
                new ListenerMetrics("127.0.0.1:8443", "https", TrafficMetrics.Zero with { Requests = 3 }, new TlsMetrics(4, 1, 1, 1, 2, 1, 3, 0, 0, 0, 0))),
            ValueList<ClusterMetrics>.Of(new ClusterMetrics("app", TrafficMetrics.Zero with { Requests = 10 }, Latency, ValueList<BackendMetrics>.Of(
                new BackendMetrics("app-0", "127.0.0.1:9001", true, TrafficMetrics.Zero with { Requests = 10, ActiveConnections = 1 }, Latency))))),
        new StatusContent(4321, 3600, 1, 1, 2, 1, 0, ValueList<WorkerStatus>.Of(new WorkerStatus(0, 1234, "running", 12, 3599), new WorkerStatus(1, 1235, "starting", null)), "stopping"),
        new StateFileContent("/var/lib/sozu/state.json", 100, 98, 2),
    }.ToDictionary(c => c.GetType());

    public static readonly IReadOnlyList<Event> Events =
    [
        BackendDown,
        new(EventKind.BackendUp, "app", "app-0", "127.0.0.1:9001"),
        new(EventKind.NoAvailableBackends, "app"),
        new(EventKind.RemovedBackendHasNoConnections, "app", "app-0", "127.0.0.1:9001"),
        new(EventKind.WorkerCrashed, WorkerId: 1),
        new(EventKind.WorkerRestarted, WorkerId: 1),
    ];

    public static IEnumerable<Type> ConcreteSubclassesOf<TBase>() =>
        typeof(TBase).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(TBase)) && !t.IsAbstract);
}
