using Sozu.Messages.Config;

namespace Sozu.Messages.Requests;

/// <summary>Adds a cluster, or updates it when the id exists (Sōzu's upsert).</summary>
public sealed record AddCluster(Cluster Cluster) : ConfigRequest;

public sealed record RemoveCluster(string ClusterId) : ConfigRequest;
