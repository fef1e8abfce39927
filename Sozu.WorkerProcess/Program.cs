using Akka.Actor;
using Serilog;
using Sozu.Actors.Hocon;
using Sozu.Actors.Logging;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;

namespace Sozu.WorkerProcess;

/// <summary>
/// `sozu-worker`: started by the supervisor (WorkerSlotSupervisor) only. Boots its ActorSystem on
/// the worker's slot, runs one WorkerActor that says hello to its slot supervisor, receives the
/// configuration, and only then activates its listeners. Exits when its loop stops (soft or
/// hard stop); it does not exit when the supervisor dies.
/// </summary>
internal static class Program
{
    /// <summary>A test hook (documented in docs/control-plane.md).</summary>
    private const string CrashAtStartVariable = "SOZU_WORKER_CRASH_AT_START";

    private static int Main(string[] args)
    {
        // The launch contract the supervisor wrote (WorkerLaunch.ToArguments).
        if (!WorkerLaunch.TryParse(args, out var arguments, out var error))
        {
            Console.Error.WriteLine("sozu-worker: " + error);
            Console.Error.WriteLine(WorkerLaunch.Usage);
            return 2;
        }

        // A test hook (documented in docs/control-plane.md): a worker that dies at start-up,
        // so the end-to-end tests can check that a crash loop is backed off, not spun.
        if (Environment.GetEnvironmentVariable(CrashAtStartVariable) is "1")
        {
            Console.Error.WriteLine($"sozu-worker {arguments.WorkerId}: {CrashAtStartVariable}=1, exiting");
            return 3;
        }

        // set_logging moves the switch at runtime (SetWorkerLogLevel, or the level a sync carries).
        // An unknown name is info: the supervisor validated the configuration.
        LogLevelControl.Switch.MinimumLevel = LogLevelControl.Parse(arguments.LogLevel) ?? Serilog.Events.LogEventLevel.Information;
        var logger = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(LogLevelControl.Switch)
            .Enrich.WithProperty("worker", arguments.WorkerId);
        try
        {
            // Akka's own log events arrive through Akka.Logger.Serilog (reference.conf, akka.loggers).
            var sink = LogTarget.Sink(arguments.LogTarget, "{Timestamp:HH:mm:ss.fff} {Level:u3} worker {worker} {Message:lj}{NewLine}{Exception}");
            logger.WriteTo.Sink(new AssociationChurnDemotion(sink, LogLevelControl.Switch));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"sozu-worker {arguments.WorkerId}: --log-target {arguments.LogTarget}: {e.Message}");
            return 1;
        }
        Log.Logger = logger.CreateLogger();
        try
        {
            var overrides = new SozuHoconOverrides
            {
                SocketDirectory = arguments.SocketDirectory,
                Hostname = "worker",
                Slot = arguments.Slot ?? SozuHocon.WorkerSlot(arguments.WorkerId),
                SystemName = arguments.SystemName,
            };
            // Start-up costs, for the kill -9 → serving budget (docs/control-plane.md).
            var processStart = System.Diagnostics.Process.GetCurrentProcess().StartTime;
            Log.Information("worker {Id}: runtime up {Ms:0} ms after the process started", arguments.WorkerId, (DateTime.Now - processStart).TotalMilliseconds);
            using var system = SozuHocon.CreateSystem(SozuHocon.Shipped(SozuHocon.WorkerFile), overrides);
            Log.Information("worker {Id}: actor system up {Ms:0} ms after the process started", arguments.WorkerId, (DateTime.Now - processStart).TotalMilliseconds);
            LogLevelControl.Apply(LogLevelControl.Switch.MinimumLevel, system);
            var settings = WorkerActorSettings.Create(arguments.WorkerId, arguments.ToOptions(), system.Settings.Config) with
            {
                SupervisorPath = WorkerSlotSupervisor.RemotePath(arguments.SystemName, arguments.WorkerId),
                AccessLogsTarget = arguments.AccessLogsTarget,
                Standby = arguments.Standby,
            };
            system.ActorOf(WorkerActor.Props(settings), WorkerSlotSupervisor.WorkerActorName);
            if (arguments.Standby)
            {
                var id = arguments.WorkerId;
                DataPlaneWarmup.Start((methods, took) => Log.Information("worker {Id} (standby): data plane compiled ahead ({Methods} methods, {Ms:0} ms)", id, methods, took.TotalMilliseconds));
            }
            Log.Information("worker {Id} (pid {Pid}) started on slot {Slot}{Standby}", arguments.WorkerId, Environment.ProcessId, overrides.Slot, arguments.Standby ? " as a standby" : "");
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM,
                context =>
                {
                    // The supervisor asks over Akka; SIGTERM from an operator is a soft stop too.
                    context.Cancel = true;
                    system.ActorSelection("/user/" + WorkerSlotSupervisor.WorkerActorName).Tell(new StopWorker(Hard: false));
                });
            system.WhenTerminated.Wait();
            return Environment.ExitCode; // WorkerActor.FaultExitCode when its loop failed
        }
#pragma warning disable CA1031 // the last word of the process: log whatever stopped it
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Fatal(e, "worker {Id} failed", arguments.WorkerId);
            return 1;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }
}
