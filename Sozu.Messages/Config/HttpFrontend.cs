using Sozu.Messages.Collections;

namespace Sozu.Messages.Config;

/// <summary>
/// A routing rule on an HTTP or HTTPS listener: host, path, method and position select a
/// cluster, or deny the request when <see cref="ClusterId"/> is null.
/// </summary>
public sealed record HttpFrontend : ISozuMessage
{
    public string? ClusterId { get; init; }

    public required string Address { get; init; }

    /// <summary>An exact name, a "*." wildcard of one label, or "*" for any host.</summary>
    public required string Hostname { get; init; }

    public PathRule Path { get; init; } = PathRule.Root;

    public string? Method { get; init; }

    public RulePosition Position { get; init; } = RulePosition.Tree;

    public StringMap Tags { get; init; } = StringMap.Empty;

    public HstsConfig? Hsts { get; init; }
}
