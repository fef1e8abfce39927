using System.Diagnostics;
using Sozu.Actors.Hocon;

namespace Sozu.Actors.Supervision;

/// <summary>The program a slot runs for its worker, and how to give it a slot number.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Extra environment variables (tests: SOZU_WORKER_CRASH_AT_START).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The supervisor's shared listening sockets as worker arguments (--listen-fd ADDRESS=FD),
    /// opened on the first start of a worker process, not before: a supervisor that adopted
    /// every worker opens none, since a socket of its own would join the SO_REUSEPORT group of
    /// the adopted workers' socket with nobody accepting on it. A standby started before they
    /// exist gets none and binds its own listeners when it takes over.
    /// </summary>
    public Lazy<IReadOnlyList<InheritedListenSocket>>? SharedListeners { get; init; }

    /// <summary>
    /// The worker's launch contract, written after <see cref="Arguments"/> with the slot, the
    /// standby flag and the shared sockets of each start; null: a plain command (tests), which
    /// gets no slot.
    /// </summary>
    public WorkerLaunch? Launch { get; init; }

    /// <summary>
    /// The `sozu-worker` next to the running executable, run by the same host: the `dotnet` that
    /// runs us (Environment.ProcessPath) with sozu-worker.dll, or the sozu-worker app host when
    /// we run from our own app host.
    /// </summary>
    public static WorkerCommand SozuWorker(WorkerLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var directory = AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "sozu-worker.dll");
        var host = System.Environment.ProcessPath ?? "dotnet";
        var arguments = new List<string>();
        string fileName;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            fileName = host;
            arguments.Add(dll);
        }
        else if (File.Exists(Path.Combine(directory, "sozu-worker")))
        {
            fileName = Path.Combine(directory, "sozu-worker");
        }
        else
        {
            fileName = "dotnet";
            arguments.Add(dll);
        }
        return new WorkerCommand(fileName, arguments) { Launch = launch };
    }

    /// <summary>The process for <paramref name="slot"/>; <paramref name="standby"/>: a standby that waits to take over (sozu-worker --standby).</summary>
    public ProcessStartInfo StartInfo(int slot, bool standby = false)
    {
        var info = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (Launch is { } launch)
        {
            var sockets = SharedListeners is { } shared && (!standby || shared.IsValueCreated) ? shared.Value : [];
            var started = launch with
            {
                Slot = slot,
                Standby = standby,
                ListenFds = Sozu.Messages.Collections.ValueList<InheritedListenSocket>.From([.. launch.ListenFds, .. sockets]),
            };
            foreach (var argument in started.ToArguments())
            {
                info.ArgumentList.Add(argument);
            }
        }
        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }
        return info;
    }

    /// <summary>The two slots a worker alternates between, so an upgrade runs old and new side by side.</summary>
    public static int AlternateSlot(int workerId) => SozuHocon.WorkerSlot(workerId) + 30000;
}
