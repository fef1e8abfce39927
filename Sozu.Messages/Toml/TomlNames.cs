using Sozu.Messages.Config;

namespace Sozu.Messages.Toml;

/// <summary>The spellings of enum values in Sōzu's configuration file (matched case-insensitively).</summary>
internal static class TomlNames
{
    public static readonly IReadOnlyDictionary<string, ListenerProtocol> ListenerProtocols = new Dictionary<string, ListenerProtocol>
    {
        ["http"] = ListenerProtocol.Http,
        ["https"] = ListenerProtocol.Https,
        ["tcp"] = ListenerProtocol.Tcp,
    };

    /// <summary>A cluster is http (serving http and https frontends) or tcp.</summary>
    public static readonly IReadOnlyDictionary<string, bool> ClusterProtocolIsHttp = new Dictionary<string, bool>
    {
        ["http"] = true,
        ["tcp"] = false,
    };

    public static readonly IReadOnlyDictionary<string, LoadBalancingAlgorithm> LoadBalancing = new Dictionary<string, LoadBalancingAlgorithm>
    {
        ["ROUND_ROBIN"] = LoadBalancingAlgorithm.RoundRobin,
        ["RANDOM"] = LoadBalancingAlgorithm.Random,
        ["LEAST_LOADED"] = LoadBalancingAlgorithm.LeastLoaded,
        ["POWER_OF_TWO"] = LoadBalancingAlgorithm.PowerOfTwo,
    };

    public static readonly IReadOnlyDictionary<string, LoadMetric> LoadMetrics = new Dictionary<string, LoadMetric>
    {
        ["CONNECTIONS"] = LoadMetric.Connections,
        ["REQUESTS"] = LoadMetric.Requests,
        ["CONNECTION_TIME"] = LoadMetric.ConnectionTime,
    };

    public static readonly IReadOnlyDictionary<string, PathRuleKind> PathTypes = new Dictionary<string, PathRuleKind>
    {
        ["PREFIX"] = PathRuleKind.Prefix,
        ["EQUALS"] = PathRuleKind.Exact,
        ["REGEX"] = PathRuleKind.Regex,
    };

    public static readonly IReadOnlyDictionary<string, RulePosition> Positions = new Dictionary<string, RulePosition>
    {
        ["PRE"] = RulePosition.Pre,
        ["TREE"] = RulePosition.Tree,
        ["POST"] = RulePosition.Post,
    };

    /// <summary>Only TLS 1.2 and 1.3 exist here, as in Sōzu with rustls; older names are refused by the same error.</summary>
    public static readonly IReadOnlyDictionary<string, TlsVersion> TlsVersions = new Dictionary<string, TlsVersion>
    {
        ["TLS_V12"] = TlsVersion.TlsV12,
        ["TLS_V13"] = TlsVersion.TlsV13,
    };

    public static readonly IReadOnlyList<string> LogLevels = ["trace", "debug", "info", "warn", "error", "off"];

    public static readonly IReadOnlyList<string> LogTargetSchemes = ["udp://", "tcp://", "unix://", "file://"];

    public static readonly IReadOnlyList<string> AlpnProtocols = ["http/1.1", "h2"];
}
