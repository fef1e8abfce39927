using System.Runtime.InteropServices;
using Sozu.Messages.State;
using Sozu.Messages.Toml;
using Sozu.Net.Worker;
using Sozu.Supervisor.Cli;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// `sozu start -c FILE`. Interim shape: one worker runs in this process, so the product
/// proxies real traffic before the supervisor and worker processes exist (the control plane
/// replaces this with the supervisor ActorSystem and `worker_count` worker processes).
/// </summary>
internal static class StartCommand
{
    public static int Run(string path, TextWriter stdout, TextWriter stderr)
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

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        stdout.WriteLine($"sozu: serving {state.State.ListenerCount} listeners, {state.State.ClusterCount} clusters from {path} (pid {Environment.ProcessId})");
        stdout.Flush();
        try
        {
            ProxyWorker.RunBlocking(ProxyWorkerOptions.From(loaded.Global), state.State.ToRequests(), stop.Token);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine("sozu start: " + e.Message);
            return ExitCodes.Error;
        }
        stdout.WriteLine("sozu: stopped");
        return ExitCodes.Ok;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
