using Sozu.Messages.Collections;

namespace Sozu.Messages.Requests;

public sealed record Status : Request;

public sealed record ListWorkers : Request;

public sealed record ListListeners : Request;

public sealed record ListFrontends(string? ClusterId = null, string? Domain = null) : Request;

public sealed record QueryClusterById(string ClusterId) : Request;

public sealed record QueryClustersByDomain(string Hostname, string? Path = null) : Request;

public sealed record QueryClustersHashes : Request;

public sealed record QueryMetrics : Request
{
    public ValueList<string> ClusterIds { get; init; } = ValueList<string>.Empty;

    public ValueList<string> BackendIds { get; init; } = ValueList<string>.Empty;

    public ValueList<string> MetricNames { get; init; } = ValueList<string>.Empty;

    /// <summary>Only list the metric names available.</summary>
    public bool List { get; init; }
}

public sealed record QueryCertificates(string? Domain = null, string? Fingerprint = null) : Request;

public sealed record CountRequests : Request;

public sealed record SubscribeEvents : Request;
