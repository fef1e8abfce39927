namespace Sozu.Messages.Config;

/// <summary>A server of a cluster.</summary>
public sealed record Backend : ISozuMessage
{
    public required string ClusterId { get; init; }

    public required string BackendId { get; init; }

    public required string Address { get; init; }

    public int Weight { get; init; } = Defaults.BackendWeight;

    /// <summary>The value of the sticky cookie that selects this backend; null means <see cref="BackendId"/>.</summary>
    public string? StickyId { get; init; }

    /// <summary>A backup backend serves only when no primary backend is available.</summary>
    public bool Backup { get; init; }

    public string EffectiveStickyId => StickyId ?? BackendId;
}
