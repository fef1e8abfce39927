using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Net.Worker;

namespace Sozu.Actors.Supervision;

/// <summary>A listening socket a worker inherits across exec: the supervisor's shared socket for an address.</summary>
public readonly record struct InheritedListenSocket(string Address, int Fd);

/// <summary>
/// The launch contract between the supervisor and a worker process: everything a worker needs
/// before it hears from its supervisor, built once from the global configuration
/// (<see cref="From"/>), written as the worker's command line (<see cref="ToArguments"/>) and
/// read back by the worker (<see cref="TryParse"/>). Both sides read the same table of options
/// (<see cref="WorkerLaunchOptions.All"/>), so a setting cannot be written by one and unknown to
/// the other. To add a setting: a property here, one line in that table, and (for a global key)
/// its copy in <see cref="From"/>; the round-trip property test then covers it.
/// </summary>
public sealed record WorkerLaunch
{
    public int WorkerId { get; init; }

    /// <summary>The supervisor's private socket directory (Akka's Unix-domain transport).</summary>
    public string SocketDirectory { get; init; } = "";

    /// <summary>The Akka slot to bind; null: the worker's first slot (<c>SozuHocon.WorkerSlot</c>).</summary>
    public int? Slot { get; init; }

    public string SystemName { get; init; } = "sozu";

    /// <summary>Boot and wait, listeners inactive, until the slot activates this process.</summary>
    public bool Standby { get; init; }

    /// <summary>log_level, the worker's starting level (set_logging moves it at runtime).</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>log_target (stdout, stderr, file:///path, udp://IP:PORT or unix:///path).</summary>
    public string LogTarget { get; init; } = "stderr";

    /// <summary>access_logs_target; null: no access log.</summary>
    public string? AccessLogsTarget { get; init; }

    /// <summary>The supervisor's SCM_RIGHTS server of shared listening sockets; null: always bind.</summary>
    public string? ListenerSource { get; init; }

    /// <summary>Shared listening sockets inherited across exec, one per address.</summary>
    public ValueList<InheritedListenSocket> ListenFds { get; init; } = ValueList<InheritedListenSocket>.Empty;

    /// <summary>max_connections, per worker.</summary>
    public int MaxConnections { get; init; } = Defaults.MaxConnections;

    /// <summary>max_buffers, per worker.</summary>
    public int MaxBuffers { get; init; } = Defaults.MaxBuffers;

    /// <summary>buffer_size, in bytes.</summary>
    public int BufferSize { get; init; } = Defaults.BufferSize;

    /// <summary>The global max_connections_per_ip (clusters may set their own); 0 is no cap.</summary>
    public int MaxConnectionsPerIp { get; init; }

    /// <summary>The global retry_after: the Retry-After of a 429, in seconds; 0 leaves the header out.</summary>
    public int RetryAfterSeconds { get; init; } = Defaults.RetryAfterSeconds;

    /// <summary>The global max_incomplete_heads_per_ip: request heads in progress one IP may hold, per worker; 0 is no cap.</summary>
    public int MaxIncompleteHeadsPerIp { get; init; } = Defaults.MaxIncompleteHeadsPerIp;
    /// <summary>soft_stop_timeout: seconds a soft stop lets the sessions in flight finish before closing the rest.</summary>
    public int SoftStopTimeoutSeconds { get; init; } = Defaults.SoftStopTimeoutSeconds;

    /// <summary>The launch of worker <paramref name="workerId"/> for this configuration (slot, standby and sockets are set per start).</summary>
    public static WorkerLaunch From(GlobalConfig global, int workerId, string socketDirectory, string systemName)
    {
        ArgumentNullException.ThrowIfNull(global);
        // The data plane's own reading of the global configuration: the launch carries all of it.
        var options = ProxyWorkerOptions.From(global);
        return new WorkerLaunch
        {
            WorkerId = workerId,
            SocketDirectory = socketDirectory,
            SystemName = systemName,
            LogLevel = global.LogLevel,
            // Workers log where the supervisor does (it warned already when the target is not supported).
            LogTarget = Logging.LogTarget.Supports(global.LogTarget) ? global.LogTarget : "stdout",
            AccessLogsTarget = global.AccessLogsTarget is { } access && Logging.LogTarget.Supports(access) ? access : null,
            MaxConnections = options.MaxConnections,
            MaxBuffers = options.MaxBuffers,
            BufferSize = options.BufferSize,
            MaxConnectionsPerIp = options.MaxConnectionsPerIp,
            RetryAfterSeconds = options.RetryAfterSeconds,
            MaxIncompleteHeadsPerIp = options.MaxIncompleteHeadsPerIp,
            SoftStopTimeoutSeconds = (int)options.SoftStopTimeout.TotalSeconds,
        };
    }

    /// <summary>The data plane's options of this worker.</summary>
    public ProxyWorkerOptions ToOptions()
    {
        var fds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var socket in ListenFds)
        {
            fds[socket.Address] = socket.Fd;
        }
        return new ProxyWorkerOptions
        {
            WorkerId = WorkerId,
            MaxConnections = MaxConnections,
            MaxBuffers = MaxBuffers,
            BufferSize = BufferSize,
            MaxConnectionsPerIp = MaxConnectionsPerIp,
            RetryAfterSeconds = RetryAfterSeconds,
            MaxIncompleteHeadsPerIp = MaxIncompleteHeadsPerIp,
            SoftStopTimeout = TimeSpan.FromSeconds(SoftStopTimeoutSeconds),
            InheritedListenerFds = fds,
            SharedListenerSource = ListenerSource,
        };
    }

    /// <summary>The worker's command line (without the program), in the table's order.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var arguments = new List<string>();
        foreach (var option in WorkerLaunchOptions.All)
        {
            option.Write(this, arguments);
        }
        return arguments;
    }

    public static string Usage => WorkerLaunchOptions.Usage;

    /// <summary>Reads a worker's command line; the error names the option and the value.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out WorkerLaunch? launch, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        launch = null;
        var parsed = new WorkerLaunch();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!WorkerLaunchOptions.ByName.TryGetValue(name, out var option))
            {
                error = $"unknown option '{name}'";
                return false;
            }
            if (!seen.Add(name) && !option.Repeats)
            {
                error = $"{name} is given twice";
                return false;
            }
            string? value = null;
            if (!option.IsFlag)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"{name} needs a value";
                    return false;
                }
                value = args[++i];
            }
            if (!option.Read(parsed, value, out parsed, out error))
            {
                return false;
            }
        }
        foreach (var required in WorkerLaunchOptions.Required)
        {
            if (!seen.Contains(required))
            {
                error = $"{string.Join(" and ", WorkerLaunchOptions.Required)} are required";
                return false;
            }
        }
        var problems = parsed.ToOptions().Validate();
        if (problems.Count > 0)
        {
            error = string.Join("; ", problems);
            return false;
        }
        launch = parsed;
        error = null;
        return true;
    }

    internal static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
