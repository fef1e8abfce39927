using System.Globalization;
using System.Runtime.InteropServices;
using Akka.Actor;
using Serilog;
using Serilog.Events;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Logging;
using Sozu.Actors.Operator;
using Sozu.Actors.Remoting;
using Sozu.Actors.Supervision;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Toml;
using Sozu.Net.Listeners;
using Sozu.Supervisor.Cli;
using Sozu.Supervisor.Privileges;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// `sozu start -c FILE`: the supervisor process. Loads the file (and the saved state when one
/// exists), boots the supervisor's ActorSystem on slot 1 of a private socket directory, starts
/// the ConfigurationActor and `worker_count` worker slots, and runs until SIGINT/SIGTERM (soft
/// stop of every worker; a second signal stops them hard) or a soft_stop/hard_stop request.
/// </summary>
internal static class StartCommand
{
    /// <summary>
    /// The saved-state hook: the state after loading <c>saved_state</c> (path) on top of the
    /// file's (state), or an error: StateFile.Load then StateFile.ApplyOnto, so requests the file
    /// already made true are skipped and any real refusal stops the start.
    /// </summary>
    public static Func<string, ConfigState, (ConfigState? State, string? Error)> LoadSavedState { get; set; } =
        (path, state) =>
        {
            var read = StateFile.Load(path);
            if (!read.IsOk)
            {
                return (null, read.Error);
            }
            // The saved state overlays the file's routing, which it usually contains: applied as load_state does.
            var target = StateFile.ApplyOnto(state, read.Requests);
            return target.Refused == 0 ? (target.State, null) : (null, $"{target.Refused} saved requests refused (first: {target.FirstRefusal})");
        };

    public static int Run(string path, TextWriter stdout, TextWriter stderr, string? socketDirectory = null, UpgradeHandover? handover = null)
    {
        if (!File.Exists(path))
        {
            stderr.WriteLine($"sozu start: {path}: no such file");
            return ExitCodes.Usage;
        }
        if (ConfigFileLoader.Load(path) is not LoadedConfig loaded)
        {
            return ConfigCheckCommand.Run(path, stdout, stderr);
        }
        var state = ConfigState.Empty.ApplyAll(loaded.Requests);
        if (!state.IsOk)
        {
            stderr.WriteLine($"sozu start: {path}: {state.Error}");
            return ExitCodes.Error;
        }
        var initial = state.State;
        var global = loaded.Global;
        if (handover is not null)
        {
            // The live state of the supervisor we replace, runtime changes included: it replaces the
            // file's routing (a cluster removed at runtime stays removed), and saved_state is older.
            var read = StateFile.Load(handover.StatePath);
            var live = read.IsOk ? StateFile.ApplyOnto(ConfigState.Empty, read.Requests) : null;
            if (live is null || live.Refused > 0)
            {
                stderr.WriteLine($"sozu start: upgrade state {handover.StatePath}: {read.Error ?? live?.FirstRefusal}");
                return ExitCodes.Error;
            }
            initial = live.State;
        }
        else if (global.SavedState is { } saved && File.Exists(saved))
        {
            var (withSaved, error) = LoadSavedState(saved, initial);
            if (withSaved is null)
            {
                stderr.WriteLine($"sozu start: {saved}: {error}");
                return ExitCodes.Error;
            }
            initial = withSaved;
        }

        var account = TargetAccount.Resolve(global, out var accountError);
        if (accountError is not null)
        {
            stderr.WriteLine($"sozu start: {path}: {accountError}");
            return ExitCodes.Error;
        }
        var switchAccount = account is not null && PrivilegeDrop.IsNeeded(account, out accountError);
        if (accountError is not null)
        {
            stderr.WriteLine($"sozu start: {accountError}");
            return ExitCodes.Error;
        }
        var directory = socketDirectory ?? (account is null
            ? ControlSocketDirectory.Default(global.CommandSocket)
            : ControlSocketDirectory.Default(global.CommandSocket, account.Uid));
        var opened = new List<KeyValuePair<string, int>>();
        if (switchAccount)
        {
            // What needs root happens now: the files are read, the listening sockets opened;
            // then this process becomes the account for good, and so does every worker it starts.
            try
            {
                opened = OpenListeningSockets(initial, stderr);
                PrivilegeDrop.HandOver(directory, account!);
                PrivilegeDrop.Apply(account!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                stderr.WriteLine($"sozu start: cannot switch to {account!.Description}: {e.Message}");
                return ExitCodes.Error;
            }
        }
        try
        {
            SocketDirectory.EnsurePrivate(directory);
            _ = SocketDirectory.SocketPath(directory, "worker", WorkerCommand.AlternateSlot(global.WorkerCount));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine($"sozu start: socket directory {directory}: {e.Message}");
            return ExitCodes.Error;
        }

        foreach (var (key, target) in new[] { ("log_target", global.LogTarget), ("access_logs_target", global.AccessLogsTarget) })
        {
            // Unsupported targets are warned about below; an unwritable file stops the start here.
            if (target is not null && LogTarget.Supports(target) && LogTarget.CheckWritable(target) is { } problem)
            {
                stderr.WriteLine($"sozu start: {key} {target}: {problem}");
                return ExitCodes.Error;
            }
        }

        Log.Logger = CreateLogger(global, stderr);
        try
        {
            if (handover is not null && !TakeOver(handover))
            {
                return ExitCodes.Error;
            }
            if (switchAccount)
            {
                Log.Information("sozu: switched to {Account} after opening {Count} listening sockets", account!.Description, opened.Count);
            }
            return Serve(path, global, initial, directory, stdout, handover, opened);
        }
        catch (IOException e)
        {
            // The command socket or a metrics endpoint cannot be opened.
            Log.Fatal("sozu start: {Message}", e.Message);
            stderr.WriteLine("sozu start: " + e.Message);
            return ExitCodes.Error;
        }
        catch (AggregateException e) when (e.GetBaseException() is IOException io)
        {
            // Typically: another supervisor already holds this socket directory's slot 1.
            Log.Fatal("sozu start: {Message}", io.Message);
            stderr.WriteLine("sozu start: " + io.Message);
            return ExitCodes.Error;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }

    /// <summary>
    /// Tells the supervisor we replace that we are ready (it then answers upgrade_main and exits
    /// without stopping its workers), and waits for it to be gone before taking its sockets.
    /// </summary>
    private static bool TakeOver(UpgradeHandover handover)
    {
        File.WriteAllText(handover.ReadyPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Log.Information("sozu: upgrade_main: state loaded; waiting for supervisor pid {Pid} to exit", handover.FromPid);
        var gone = PreviousSupervisor.WaitForExit(handover.FromPid, UpgradeHandover.ExitLimit);
        File.Delete(handover.ReadyPath);
        File.Delete(handover.StatePath);
        if (!gone)
        {
            Log.Fatal("sozu: upgrade_main: supervisor pid {Pid} still runs after {Seconds} s; giving up", handover.FromPid, UpgradeHandover.ExitLimit.TotalSeconds);
        }
        return gone;
    }

    private static int Serve(string path, GlobalConfig global, ConfigState initial, string directory, TextWriter stdout, UpgradeHandover? handover, IReadOnlyList<KeyValuePair<string, int>> opened)
    {
        var overrides = new SozuHoconOverrides
        {
            SocketDirectory = directory,
            Hostname = "supervisor",
            Slot = SozuHocon.SupervisorSlot,
        };
        using var system = SozuHocon.CreateSystem(SozuHocon.Shipped(SozuHocon.SupervisorFile), overrides);
        var systemName = system.Name;
        LogLevelControl.Apply(LogLevelControl.Switch.MinimumLevel, system);
        using var listenerServer = SharedListenSocketServer.Start(Path.Combine(directory, ListenerSourceFile));
        if (handover is not null)
        {
            AdoptInheritedSockets(handover, initial, listenerServer);
        }
        foreach (var (address, fd) in opened)
        {
            listenerServer.Adopt(address, fd);
        }
        var hocon = system.Settings.Config;
        var settings = ConfigurationSettings.Create(hocon) with
        {
            MainUpgrade = new MainUpgradeSettings(directory, (state, ready, keys) => SuccessorLauncher.Launch(path, state, ready, listenerServer, keys))
            {
                ReadyTimeout = ConfigurationSettings.MainUpgradeReadyTimeout(hocon),
            },
            // The keys of the supervisor we replace: tickets issued before the upgrade still open.
            InitialTicketKeys = handover?.TicketKeys,
            TicketKeyRotation = TimeSpan.FromSeconds(global.TlsTicketRotation),
        };
        var configuration = system.ActorOf(ConfigurationActor.Props(initial, settings), ConfigurationProtocol.ActorName);
        OperatorSurface.Start(system, configuration, global, path);
        if (global.AccessLogsTarget is { } accessLogs && !LogTarget.Supports(accessLogs))
        {
            Log.Warning("sozu start: access_logs_target {Target} is not supported yet (stdout, stderr, file://, udp://, unix://); no access log", accessLogs);
        }
        var shared = new Lazy<IReadOnlyList<InheritedListenSocket>>(() => SharedListeners(initial, listenerServer));
        var slots = new List<WorkerSlotSettings>();
        for (var id = 0; id < global.WorkerCount; id++)
        {
            var launch = WorkerLaunch.From(global, id, directory, systemName) with { ListenerSource = Path.Combine(directory, ListenerSourceFile) };
            slots.Add(WorkerSlotSettings.Create(id, WorkerCommand.SozuWorker(launch) with { SharedListeners = shared }, hocon) with
            {
                Configuration = configuration,
                SocketDirectory = directory,
                SystemName = systemName,
                AutomaticRestart = global.WorkerAutomaticRestart,
                Standby = global.WorkerStandby,
                // The worker closes what is left at soft_stop_timeout itself; the kill is for one that cannot.
                SoftStopGrace = TimeSpan.FromSeconds(global.SoftStopTimeout) + SoftStopKillMargin,
            });
        }
        system.ActorOf(WorkerPool.Props(slots), WorkerSlotSupervisor.PoolName);
        Log.Information("sozu: supervisor pid {Pid}, {Workers} workers, {Listeners} listeners, {Clusters} clusters from {Path}; control sockets in {Directory}",
            Environment.ProcessId, global.WorkerCount, initial.ListenerCount, initial.ClusterCount, path, directory);
        stdout.Flush();

        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            var hard = Interlocked.Increment(ref signals) > 1;
            Log.Information("sozu: {Signal}, stopping the workers {How}", context.Signal, hard ? "now" : "once their sessions end");
            Request stop = hard ? new HardStop() : new SoftStop();
            configuration.Tell(new ExecuteRequest("signal-" + signals.ToString(CultureInfo.InvariantCulture), stop), ActorRefs.Nobody);
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        system.WhenTerminated.Wait();
        Log.Information("sozu: stopped");
        return ExitCodes.Ok;
    }

    /// <summary>Past a worker's own soft stop deadline, how long it has to exit before it is killed.</summary>
    private static readonly TimeSpan SoftStopKillMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Opens the listening socket of every active listener here, once, and gives it to every
    /// worker (<see cref="WorkerLaunch.ListenFds"/>; inherited across exec): one accept queue that outlives any worker,
    /// so a connection waiting in it when a worker dies is accepted by another. Listeners added
    /// later are fetched by the workers from <paramref name="server"/> (SCM_RIGHTS). The sockets
    /// live as long as this process.
    /// Called on the first start of a worker process (see <see cref="WorkerCommand.SharedListeners"/>).
    /// </summary>
    private static List<InheritedListenSocket> SharedListeners(ConfigState initial, SharedListenSocketServer server)
    {
        var sockets = new List<InheritedListenSocket>();
        foreach (var info in initial.Listeners.Values)
        {
            if (!info.Active)
            {
                continue;
            }
            var address = info.Listener.Address;
            var fd = server.GetOrOpen(address, out var error);
            if (fd < 0)
            {
                // Not fatal here: each worker then binds it itself, and reports its own error if it cannot.
                Log.Warning("sozu: no shared listening socket for {Address} ({Error}); workers bind it themselves", address, error);
                continue;
            }
            sockets.Add(new InheritedListenSocket(address, fd));
        }
        return sockets;
    }

    /// <summary>
    /// Before switching to `user`: the listening socket of every active listener of the starting
    /// state, opened while privileged ports can still be bound. One that cannot be opened is
    /// reported and left to the workers, which then report it too.
    /// </summary>
    private static List<KeyValuePair<string, int>> OpenListeningSockets(ConfigState initial, TextWriter stderr)
    {
        var opened = new List<KeyValuePair<string, int>>();
        foreach (var info in initial.Listeners.Values)
        {
            if (!info.Active)
            {
                continue;
            }
            var fd = SharedListenSocket.Open(info.Listener.Address, out var error);
            if (fd < 0)
            {
                stderr.WriteLine($"sozu start: listener {info.Listener.Address}: {error}");
                continue;
            }
            opened.Add(new KeyValuePair<string, int>(info.Listener.Address, fd));
        }
        return opened;
    }

    /// <summary>
    /// The listening sockets the replaced supervisor held, inherited across exec: the same sockets
    /// (and accept queues) the adopted workers serve, given to the workers this one starts later.
    /// A listener with none gets a fresh socket (SO_REUSEPORT) when a worker first needs it.
    /// </summary>
    private static void AdoptInheritedSockets(UpgradeHandover handover, ConfigState initial, SharedListenSocketServer server)
    {
        foreach (var (address, fd) in handover.ListenFds)
        {
            if (!server.Adopt(address, fd))
            {
                Log.Warning("sozu: upgrade_main: a second inherited socket for {Address} (fd {Fd}) is ignored", address, fd);
            }
        }
        foreach (var info in initial.Listeners.Values)
        {
            if (info.Active && !handover.ListenFds.Any(entry => entry.Key == info.Listener.Address))
            {
                Log.Warning("sozu: upgrade_main: no listening socket inherited for {Address}; a fresh one (SO_REUSEPORT) is opened when a worker needs it", info.Listener.Address);
            }
        }
        Log.Information("sozu: upgrade_main: took {Count} listening sockets from supervisor pid {Pid}", handover.ListenFds.Count, handover.FromPid);
    }

    /// <summary>The supervisor's SCM_RIGHTS server of shared listening sockets, in the private socket directory.</summary>
    private const string ListenerSourceFile = "listeners.sock";

    private static Serilog.Core.Logger CreateLogger(GlobalConfig global, TextWriter stderr)
    {
        var level = LogLevelControl.Parse(global.LogLevel) ?? LogEventLevel.Information;
        const string Template = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";
        LogLevelControl.Switch.MinimumLevel = level;
        var logger = new LoggerConfiguration().MinimumLevel.ControlledBy(LogLevelControl.Switch);
        var target = global.LogTarget;
        if (!LogTarget.Supports(target))
        {
            stderr.WriteLine($"sozu start: log_target {target} is not supported yet; logging to stdout");
            target = "stdout";
        }
        // Akka's own log events arrive through Akka.Logger.Serilog (reference.conf, akka.loggers).
        logger.WriteTo.Sink(new AssociationChurnDemotion(LogTarget.Sink(target, Template), LogLevelControl.Switch));
        return logger.CreateLogger();
    }
}
