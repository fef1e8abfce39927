using System.Text.Json.Serialization;

namespace Sozu.Messages.Config;

public enum ListenerProtocol
{
    Http,
    Https,
    Tcp,
}

public enum LoadBalancingAlgorithm
{
    RoundRobin,
    Random,
    LeastLoaded,
    PowerOfTwo,
}

/// <summary>What "least loaded" and "power of two" compare between backends.</summary>
public enum LoadMetric
{
    Connections,
    Requests,
    ConnectionTime,
}

public enum ProxyProtocolConfig
{
    ExpectHeader,
    SendHeader,
    RelayHeader,
}

public enum PathRuleKind
{
    Prefix,
    [JsonStringEnumMemberName("equals")]
    Exact,
    Regex,
}

/// <summary>Pre rules are tried before the host tree, post rules after it (Sōzu's order).</summary>
public enum RulePosition
{
    Pre,
    Tree,
    Post,
}

public enum TlsVersion
{
    [JsonStringEnumMemberName("TLS_V12")]
    TlsV12,
    [JsonStringEnumMemberName("TLS_V13")]
    TlsV13,
}
