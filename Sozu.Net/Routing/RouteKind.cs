namespace Sozu.Net.Routing;

public enum RouteKind : byte
{
    /// <summary>No frontend matches: answer 404.</summary>
    NoRoute,

    /// <summary>A frontend without a cluster matches: answer 401.</summary>
    Deny,

    /// <summary>Forward to <see cref="RouteTarget.ClusterId"/>.</summary>
    Cluster,
}
