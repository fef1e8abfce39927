using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using LogEventLevel = Serilog.Events.LogEventLevel;

namespace Sozu.Actors.Logging;

/// <summary>
/// The Akka logger (listed in <c>akka.loggers</c>) that hands Akka's log events to Serilog's
/// global <see cref="Serilog.Log.Logger"/>, so Akka and our own code log through one pipeline.
/// The rendered Akka message is passed as a property, never as a template: an Akka message
/// containing braces must not be parsed as Serilog syntax. Remoting's association churn
/// (<see cref="AssociationChurn"/>) is written at DEBUG whatever level Akka gave it.
/// </summary>
public sealed class SerilogLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private const string Template = "[{AkkaSource}] {AkkaMessage:l}";

    public SerilogLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Forward);
    }

    public static LogEventLevel ToSerilogLevel(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => LogEventLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => LogEventLevel.Information,
        Akka.Event.LogLevel.WarningLevel => LogEventLevel.Warning,
        Akka.Event.LogLevel.ErrorLevel => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };

    private static void Forward(LogEvent logEvent)
    {
        var level = ToSerilogLevel(logEvent.LogLevel());
        if (level > LogEventLevel.Debug && AssociationChurn.Matches(logEvent))
        {
            level = LogEventLevel.Debug;
        }
        var logger = Serilog.Log.Logger;
        if (!logger.IsEnabled(level))
        {
            return;
        }
        logger
            .ForContext(Serilog.Core.Constants.SourceContextPropertyName, logEvent.LogClass?.FullName ?? logEvent.LogSource)
            .ForContext("AkkaThread", logEvent.Thread.ManagedThreadId)
            .ForContext("AkkaTimestamp", logEvent.Timestamp)
            .Write(level, logEvent.Cause, Template, logEvent.LogSource, logEvent.Message?.ToString());
    }
}
