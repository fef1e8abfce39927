using Akka.Actor;
using Serilog.Core;
using Serilog.Events;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace Sozu.Actors.Logging;

/// <summary>
/// The process's runtime log level: the logger is built with
/// <c>.MinimumLevel.ControlledBy(LogLevelControl.Switch)</c> before the ActorSystem exists, and
/// set_logging moves it (in the supervisor, then in every worker). One per process, as the logger is.
/// </summary>
public static class LogLevelControl
{
    public static LoggingLevelSwitch Switch { get; } = new(LogEventLevel.Information);

    /// <summary>The current level by its Sōzu name, as a worker is told it.</summary>
    public static string CurrentName => Name(Switch.MinimumLevel);

    /// <summary>Sōzu's level names (and Serilog's); null when the name is none of them.</summary>
    public static LogEventLevel? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "info" or "information" => LogEventLevel.Information,
        "warn" or "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "critical" or "fatal" or "off" => LogEventLevel.Fatal,
        _ => null,
    };

    public static string Name(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "trace",
        LogEventLevel.Debug => "debug",
        LogEventLevel.Information => "info",
        LogEventLevel.Warning => "warn",
        LogEventLevel.Error => "error",
        _ => "critical",
    };

    /// <summary>
    /// Moves the Serilog switch and, when <paramref name="system"/> is given, the level of Akka's
    /// event bus, so that Akka's debug events reach the logger too. Akka's log adapters read the
    /// bus level when they are created: an actor that logs at a changed level asks for a new one.
    /// </summary>
    public static void Apply(LogEventLevel level, ActorSystem? system = null)
    {
        Switch.MinimumLevel = level;
        system?.EventStream.SetLogLevel(level switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => AkkaLogLevel.DebugLevel,
            LogEventLevel.Information => AkkaLogLevel.InfoLevel,
            LogEventLevel.Warning => AkkaLogLevel.WarningLevel,
            _ => AkkaLogLevel.ErrorLevel,
        });
    }
}
