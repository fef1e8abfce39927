using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using LogEvent = Serilog.Events.LogEvent;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Sozu.Actors.Hocon;
using Sozu.Actors.Logging;

namespace Sozu.Actors.Tests.Logging;

// Every test class that reads or moves process-wide logging state (the Serilog logger, LogLevelControl).
[CollectionDefinition(nameof(GlobalSerilog), DisableParallelization = true)]
public sealed class GlobalSerilog;

/// <summary>
/// Akka log events reach Serilog's global logger through Akka.Logger.Serilog (the reference
/// configuration's akka.loggers), and the process log's <see cref="AssociationChurnDemotion"/>
/// writes remoting's association churn at DEBUG.
/// </summary>
[Collection(nameof(GlobalSerilog))]
public sealed class AkkaLoggingTests
{
    /// <summary>The reference configuration's akka.loggers, as both executables run it.</summary>
    private static Config ReferenceLogging() => ConfigurationFactory.ParseString("""
        akka.loglevel = DEBUG
        akka.stdout-loglevel = OFF
        akka.actor.provider = local
        """).WithFallback(SozuHocon.Reference);

    [Fact]
    public async Task AkkaLogEvents_AreWrittenToSerilog_WithLevelSourceAndException()
    {
        var sink = new CollectingSink();
        var previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        var system = ActorSystem.Create("serilog-tests", ReferenceLogging());
        try
        {
            var failure = new InvalidOperationException("boom");
            system.Log.Info("worker {0} started", 3);
            system.Log.Error(failure, "worker {0} crashed with {{NotAProperty}}", 4);

            var info = await sink.WaitFor(e => Rendered(e) == "worker 3 started");
            var error = await sink.WaitFor(e => Rendered(e)?.StartsWith("worker 4 crashed", StringComparison.Ordinal) == true);

            Assert.Equal(LogEventLevel.Information, info.Level);
            Assert.Equal(LogEventLevel.Error, error.Level);
            Assert.Same(failure, error.Exception);
            Assert.Contains("{NotAProperty}", Rendered(error), StringComparison.Ordinal);
            Assert.True(info.Properties.ContainsKey("LogSource"));
            Assert.Equal(typeof(Akka.Logger.Serilog.SerilogLogger), Type.GetType(SozuHocon.Reference.GetStringList("akka.loggers").Single(), throwOnError: true));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
            Log.Logger = previous;
        }
    }

    [Fact]
    public async Task Remoting_association_churn_is_written_at_debug_with_its_stack_and_other_warnings_keep_their_level()
    {
        var sink = new CollectingSink();
        var previous = Log.Logger;
        var level = new LoggingLevelSwitch(LogEventLevel.Debug);
        Log.Logger = new LoggerConfiguration().MinimumLevel.ControlledBy(level).WriteTo.Sink(new AssociationChurnDemotion(sink, level)).CreateLogger();
        var system = ActorSystem.Create("serilog-churn-tests", ReferenceLogging());
        try
        {
            // What the supervisor's remoting logs when a worker is killed with -9 (Akka.Remote 1.5).
            var refused = new Akka.Remote.Transport.InvalidAssociationException("Cannot associate with unix://sozu@worker:101: connection refused");
            system.Log.Error(refused, "Association failed");
            system.Log.Warning("Association with remote system akka.unix://sozu@worker:101 has failed; address is now gated for 200 ms. Reason is: [stack]");
            system.Log.Warning("Tried to associate with unreachable remote address [akka.unix://sozu@worker:101]. Address is now gated for 200 ms");
            system.Log.Warning("worker 1 (pid 22511, slot 101) died: killed by signal 9 (exit code 137)");

            var error = await sink.WaitFor(e => Rendered(e) == "Association failed");
            var gated = await sink.WaitFor(e => Rendered(e)?.StartsWith("Association with remote system", StringComparison.Ordinal) == true);
            var unreachable = await sink.WaitFor(e => Rendered(e)?.StartsWith("Tried to associate", StringComparison.Ordinal) == true);
            var death = await sink.WaitFor(e => Rendered(e)?.StartsWith("worker 1 (pid", StringComparison.Ordinal) == true);

            Assert.Equal(LogEventLevel.Debug, error.Level);
            Assert.Same(refused, error.Exception);
            Assert.Equal(LogEventLevel.Debug, gated.Level);
            Assert.Equal(LogEventLevel.Debug, unreachable.Level);
            Assert.Equal(LogEventLevel.Warning, death.Level);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
            Log.Logger = previous;
        }
    }

    [Fact]
    public async Task Remoting_association_churn_is_dropped_at_info_while_a_worker_death_warning_is_written()
    {
        var sink = new CollectingSink();
        var previous = Log.Logger;
        var level = new LoggingLevelSwitch(LogEventLevel.Information);
        Log.Logger = new LoggerConfiguration().MinimumLevel.ControlledBy(level).WriteTo.Sink(new AssociationChurnDemotion(sink, level)).CreateLogger();
        var system = ActorSystem.Create("serilog-churn-info-tests", ReferenceLogging());
        try
        {
            system.Log.Warning("Association with remote system akka.unix://sozu@worker:101 has failed; address is now gated for 200 ms. Reason is: [stack]");
            system.Log.Warning("worker 1 (pid 22511, slot 101) died: killed by signal 9 (exit code 137)");

            // Akka's logger handles events in order: once the second is written, the first was seen.
            var death = await sink.WaitFor(e => Rendered(e)?.StartsWith("worker 1 (pid", StringComparison.Ordinal) == true);

            Assert.Equal(LogEventLevel.Warning, death.Level);
            Assert.DoesNotContain(sink.Events, e => Rendered(e)?.StartsWith("Association with", StringComparison.Ordinal) == true);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
            Log.Logger = previous;
        }
    }

    [Fact]
    public void Churn_logged_by_our_own_code_is_not_demoted()
    {
        var sink = new CollectingSink();
        var level = new LoggingLevelSwitch(LogEventLevel.Debug);
        using var logger = new LoggerConfiguration().MinimumLevel.ControlledBy(level).WriteTo.Sink(new AssociationChurnDemotion(sink, level)).CreateLogger();

        logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Sozu.Actors.Supervision.WorkerSlotSupervisor")
            .Warning("Association with remote system {Address} has failed", "akka.unix://sozu@worker:101");

        Assert.Equal(LogEventLevel.Warning, Assert.Single(sink.Events).Level);
    }

    private static string? Rendered(LogEvent e) => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> Events => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

        public async Task<LogEvent> WaitFor(Func<LogEvent, bool> match)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                foreach (var e in _events)
                {
                    if (match(e))
                    {
                        return e;
                    }
                }
                await Task.Delay(50);
            }
            throw new TimeoutException("The expected log event never reached Serilog.");
        }
    }
}
