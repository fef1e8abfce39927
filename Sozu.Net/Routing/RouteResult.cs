namespace Sozu.Net.Routing;

/// <summary>The outcome of a lookup: a kind and, unless NoRoute, the frontend's precomputed target.</summary>
public readonly record struct RouteResult(RouteKind Kind, RouteTarget? Target)
{
    public static RouteResult NoRoute => default;

    public string? ClusterId => Target?.ClusterId;

    internal static RouteResult For(RouteTarget target) =>
        new(target.ClusterId is null ? RouteKind.Deny : RouteKind.Cluster, target);
}
