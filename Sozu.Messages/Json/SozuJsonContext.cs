using System.Text.Json;
using System.Text.Json.Serialization;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Events;
using Sozu.Messages.Json.Converters;
using Sozu.Messages.Json.Wire;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Json;

/// <summary>
/// Source-generated metadata for every type on the command socket. Use it through
/// <see cref="SozuJsonOptions.Options"/>, which adds the polymorphism and the rules the
/// generator cannot express; the bare context misses them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true,
    Converters =
    [
        typeof(StringMapJsonConverter),
        typeof(ValueListJsonConverter<string>),
        typeof(ValueListJsonConverter<TlsVersion>),
        typeof(ValueListJsonConverter<WorkerInfo>),
        typeof(ValueListJsonConverter<ClusterInfo>),
        typeof(ValueListJsonConverter<HttpFrontend>),
        typeof(ValueListJsonConverter<TcpFrontend>),
        typeof(ValueListJsonConverter<Backend>),
        typeof(ValueListJsonConverter<ClusterHash>),
        typeof(ValueListJsonConverter<ListenerInfo>),
        typeof(ValueListJsonConverter<CertificateSummary>),
        typeof(ValueListJsonConverter<ListenerMetrics>),
        typeof(ValueListJsonConverter<ClusterMetrics>),
        typeof(ValueListJsonConverter<BackendMetrics>),
        typeof(ValueListJsonConverter<TimeBucket>),
        typeof(ValueListJsonConverter<WorkerStatus>),
        typeof(SnakeCaseEnumConverter<ListenerProtocol>),
        typeof(SnakeCaseEnumConverter<LoadBalancingAlgorithm>),
        typeof(SnakeCaseEnumConverter<LoadMetric>),
        typeof(SnakeCaseEnumConverter<ProxyProtocolConfig>),
        typeof(SnakeCaseEnumConverter<PathRuleKind>),
        typeof(SnakeCaseEnumConverter<RulePosition>),
        typeof(SnakeCaseEnumConverter<TlsVersion>),
        typeof(SnakeCaseEnumConverter<AnswerStatus>),
        typeof(SnakeCaseEnumConverter<EventKind>),
    ])]
// Request data shapes
[JsonSerializable(typeof(Cluster))]
[JsonSerializable(typeof(Backend))]
[JsonSerializable(typeof(HttpFrontend))]
[JsonSerializable(typeof(TcpFrontend))]
[JsonSerializable(typeof(HttpListenerConfig))]
[JsonSerializable(typeof(HttpsListenerConfig))]
[JsonSerializable(typeof(TcpListenerConfig))]
[JsonSerializable(typeof(AddCertificateData))]
[JsonSerializable(typeof(RemoveCluster))]
[JsonSerializable(typeof(RemoveBackend))]
[JsonSerializable(typeof(ReplaceCertificate))]
[JsonSerializable(typeof(RemoveCertificate))]
[JsonSerializable(typeof(RemoveListener))]
[JsonSerializable(typeof(ActivateListener))]
[JsonSerializable(typeof(DeactivateListener))]
[JsonSerializable(typeof(UpdateHttpListener))]
[JsonSerializable(typeof(UpdateHttpsListener))]
[JsonSerializable(typeof(UpdateTcpListener))]
[JsonSerializable(typeof(SaveState))]
[JsonSerializable(typeof(LoadState))]
[JsonSerializable(typeof(ReloadConfiguration))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(ListWorkers))]
[JsonSerializable(typeof(ListListeners))]
[JsonSerializable(typeof(ListFrontends))]
[JsonSerializable(typeof(QueryClusterById))]
[JsonSerializable(typeof(QueryClustersByDomain))]
[JsonSerializable(typeof(QueryClustersHashes))]
[JsonSerializable(typeof(QueryMetrics))]
[JsonSerializable(typeof(QueryCertificates))]
[JsonSerializable(typeof(CountRequests))]
[JsonSerializable(typeof(SubscribeEvents))]
[JsonSerializable(typeof(UpgradeWorker))]
[JsonSerializable(typeof(UpgradeMain))]
[JsonSerializable(typeof(SoftStop))]
[JsonSerializable(typeof(HardStop))]
[JsonSerializable(typeof(SetLogging))]
// Answers and events
[JsonSerializable(typeof(Answer))]
[JsonSerializable(typeof(AnswerContent))]
[JsonSerializable(typeof(WorkersContent))]
[JsonSerializable(typeof(ClustersContent))]
[JsonSerializable(typeof(ClustersHashesContent))]
[JsonSerializable(typeof(ListenersContent))]
[JsonSerializable(typeof(FrontendsContent))]
[JsonSerializable(typeof(CertificatesContent))]
[JsonSerializable(typeof(RequestCountsContent))]
[JsonSerializable(typeof(EventContent))]
[JsonSerializable(typeof(MetricsContent))]
[JsonSerializable(typeof(StatusContent))]
[JsonSerializable(typeof(StateFileContent))]
[JsonSerializable(typeof(ListenerConfig))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(EventLine))]
// Element types the list converters resolve at run time
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(TlsVersion))]
[JsonSerializable(typeof(WorkerInfo))]
[JsonSerializable(typeof(ClusterInfo))]
[JsonSerializable(typeof(ClusterHash))]
[JsonSerializable(typeof(ListenerInfo))]
[JsonSerializable(typeof(CertificateSummary))]
[JsonSerializable(typeof(ListenerMetrics))]
[JsonSerializable(typeof(ClusterMetrics))]
[JsonSerializable(typeof(BackendMetrics))]
[JsonSerializable(typeof(TimeBucket))]
[JsonSerializable(typeof(WorkerStatus))]
[JsonSerializable(typeof(StringMap))]
internal sealed partial class SozuJsonContext : JsonSerializerContext;
