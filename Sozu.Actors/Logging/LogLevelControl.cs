using Serilog.Core;
using Serilog.Events;

namespace Sozu.Actors.Logging;

/// <summary>
/// The process's runtime log level: the logger is built with
/// <c>.MinimumLevel.ControlledBy(LogLevelControl.Switch)</c> before the ActorSystem exists, and
/// set_logging moves it. One per process, as the logger is.
/// </summary>
public static class LogLevelControl
{
    public static LoggingLevelSwitch Switch { get; } = new(LogEventLevel.Information);
}
