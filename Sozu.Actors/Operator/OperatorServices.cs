using System.Collections.Concurrent;

using Akka.Actor;
using Serilog.Core;
using Serilog.Events;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Operator;

/// <summary>
/// What the operator surface shares inside the supervisor's ActorSystem: the configuration
/// file given at start (the default of reload_configuration), the start time (status), the
/// runtime log level (set_logging) and the count of requests received per type
/// (count_requests). `sozu start` sets <see cref="ConfigPath"/> and wires
/// <see cref="LevelSwitch"/> into its Serilog logger.
/// </summary>
public sealed class OperatorServices : IExtension
{
    private readonly ConcurrentDictionary<string, long> _requestCounts = new(StringComparer.Ordinal);

    /// <summary>The configuration file `sozu start` was given; null in tests that start none.</summary>
    public string? ConfigPath { get; set; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public long UptimeSeconds => (long)(DateTimeOffset.UtcNow - StartedAt).TotalSeconds;

    public static int ProcessId => Environment.ProcessId;

    /// <summary>The minimum level of the supervisor's logger; <c>MinimumLevel.ControlledBy</c> this switch.</summary>
    public static LoggingLevelSwitch LevelSwitch => Logging.LogLevelControl.Switch;

    public static OperatorServices Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<OperatorServices, OperatorServicesProvider>();
    }

    /// <summary>Counted by the command socket for every request it parsed.</summary>
    public void CountRequest(string typeName) => _requestCounts.AddOrUpdate(typeName, 1, static (_, n) => n + 1);

    public StringMap RequestCounts()
    {
        var counts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in _requestCounts)
        {
            counts[pair.Key] = pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return StringMap.From(counts);
    }

    /// <summary>Sōzu's level names (and Serilog's); null when the name is none of them.</summary>
    public static LogEventLevel? ParseLevel(string name) => Logging.LogLevelControl.Parse(name);

}

public sealed class OperatorServicesProvider : ExtensionIdProvider<OperatorServices>
{
    public override OperatorServices CreateExtension(ExtendedActorSystem system) => new();
}
