using Serilog.Core;
using Serilog.Events;

namespace Sozu.Actors.Logging;

/// <summary>
/// Wraps a process log's sink so that Akka remoting's association churn
/// (<see cref="AssociationChurn"/>) is written at DEBUG, with its stack, whatever level Akka gave
/// it, and dropped while <paramref name="level"/> is above DEBUG. Akka.Logger.Serilog writes
/// Akka's events at Akka's level; Serilog cannot lower a level in an enricher or a filter, so it
/// is done here, where an event is written. Everything else passes through as it came.
/// </summary>
public sealed class AssociationChurnDemotion(ILogEventSink inner, LoggingLevelSwitch level) : ILogEventSink, IDisposable
{
    private readonly ILogEventSink _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly LoggingLevelSwitch _level = level ?? throw new ArgumentNullException(nameof(level));

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Level > LogEventLevel.Debug && AssociationChurn.Matches(logEvent))
        {
            if (_level.MinimumLevel > LogEventLevel.Debug)
            {
                return;
            }
            var properties = new List<LogEventProperty>(logEvent.Properties.Count);
            foreach (var (name, value) in logEvent.Properties)
            {
                properties.Add(new LogEventProperty(name, value));
            }
            logEvent = new LogEvent(logEvent.Timestamp, LogEventLevel.Debug, logEvent.Exception, logEvent.MessageTemplate, properties);
        }
        _inner.Emit(logEvent);
    }

    /// <summary>The wrapped sink belongs to this one: a file or socket sink is closed with it.</summary>
    public void Dispose() => (_inner as IDisposable)?.Dispose();
}
