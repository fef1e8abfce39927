namespace Sozu.Messages.Config;

/// <summary>Strict-Transport-Security added to HTTPS responses only.</summary>
public sealed record HstsConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Seconds; one year by default, as Sōzu.</summary>
    public int MaxAge { get; init; } = 31_536_000;

    public bool IncludeSubdomains { get; init; }

    public bool Preload { get; init; }
}
