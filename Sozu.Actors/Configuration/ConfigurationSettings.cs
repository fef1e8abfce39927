using Akka.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Configuration;

/// <summary>
/// The ConfigurationActor's time limits. The property defaults are those of
/// Hocon/reference.conf (<c>sozu.configuration</c>); <see cref="Create"/> reads them from the
/// running configuration, which is what `sozu start` does.
/// </summary>
public sealed record ConfigurationSettings
{
    public static readonly ConfigurationSettings Default = new();

    /// <summary>A change not confirmed by every worker by then is answered Error. Default: 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A worker that has not confirmed a full state by then is restarted. Default: 30 s (large states).</summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between the last answer of a stop and the end of the ActorSystem, so the answer leaves. Default: 300 ms.</summary>
    public TimeSpan ShutdownDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How often the session-ticket keys are replaced (tls_ticket_rotation); the previous key
    /// still opens tickets for one more period. Default: 12 h.
    /// </summary>
    public TimeSpan TicketKeyRotation { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The session-ticket keys to start with: those of the supervisor this one replaces
    /// (upgrade_main), so tickets issued before the upgrade still open. Null: fresh keys.
    /// </summary>
    public SessionTicketKeys? InitialTicketKeys { get; init; }

    /// <summary>How upgrade_main starts the next supervisor; null: upgrade_main is refused (tests, embedded use).</summary>
    public MainUpgradeSettings? MainUpgrade { get; init; }

    /// <summary>The HOCON section of these settings.</summary>
    public const string Section = "sozu.configuration";

    /// <summary>HOCON key of <see cref="MainUpgradeSettings.ReadyTimeout"/>, read by <see cref="MainUpgradeReadyTimeout"/>.</summary>
    public const string MainUpgradeReadyTimeoutKey = Section + ".main-upgrade-ready-timeout";

    /// <summary>request-timeout, sync-timeout and shutdown-delay from <paramref name="config"/> (each required).</summary>
    /// <exception cref="ConfigurationException">A key is missing or not a positive duration.</exception>
    public static ConfigurationSettings Create(Config config) => new()
    {
        RequestTimeout = RequiredKey.Duration(config, Section + ".request-timeout"),
        SyncTimeout = RequiredKey.Duration(config, Section + ".sync-timeout"),
        ShutdownDelay = RequiredKey.Duration(config, Section + ".shutdown-delay"),
    };

    /// <summary>upgrade_main's limit for a successor to be ready (<see cref="MainUpgradeReadyTimeoutKey"/>).</summary>
    public static TimeSpan MainUpgradeReadyTimeout(Config config) => RequiredKey.Duration(config, MainUpgradeReadyTimeoutKey);
}
