using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Serilog.Events;
using Sozu.Actors.Hocon;
using Sozu.Actors.Logging;
using Sozu.Net.Worker;

namespace Sozu.WorkerProcess;

/// <summary>The command line the supervisor gives a worker (WorkerSlotSupervisor builds it).</summary>
internal sealed record WorkerArguments(int WorkerId, string SocketDirectory, int Slot, string SystemName, string LogLevel, ProxyWorkerOptions Options)
{
    /// <summary>access_logs_target (stdout, stderr, file:///path, udp://IP:PORT or unix:///path); null: no access log.</summary>
    public string? AccessLogsTarget { get; init; }

    /// <summary>log_target (stdout, stderr, file:///path, udp://IP:PORT or unix:///path). Default: stderr.</summary>
    public string LogTarget { get; init; } = "stderr";

    /// <summary>--standby: boot and wait, listeners inactive, until the slot activates this process.</summary>
    public bool Standby { get; init; }

    public const string CrashAtStartVariable = "SOZU_WORKER_CRASH_AT_START";

    public const string Usage =
        "usage: sozu-worker --id N --socket-dir DIR [--slot S] [--system NAME] [--log-level LEVEL] [--standby] [--listen-fd ADDRESS=FD]... [--listener-source PATH] " +
        "[--max-connections N] [--max-buffers N] [--buffer-size N] [--max-incomplete-heads-per-ip N] [--log-target TARGET] [--access-logs-target TARGET]";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out WorkerArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        int? id = null;
        int? slot = null;
        string? directory = null;
        var system = "sozu";
        var level = "info";
        string? accessLogs = null;
        var logTarget = "stderr";
        var options = new ProxyWorkerOptions();
        var standby = false;
        var inherited = new Dictionary<string, int>(StringComparer.Ordinal);
        string? source = null;
        for (var i = 0; i < args.Length; i++)
        {
            var key = args[i];
            if (key == "--standby")
            {
                standby = true;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{key} needs a value";
                return false;
            }
            var value = args[++i];
            int number = 0;
            var numeric = key is "--id" or "--slot" or "--max-connections" or "--max-buffers" or "--buffer-size" or "--max-incomplete-heads-per-ip";
            if (numeric && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                error = $"{key} needs a non-negative integer, got '{value}'";
                return false;
            }
            switch (key)
            {
                case "--id": id = number; break;
                case "--slot": slot = number; break;
                case "--socket-dir": directory = value; break;
                case "--system": system = value; break;
                case "--log-level": level = value; break;
                case "--access-logs-target" or "--log-target" when !Sozu.Actors.Logging.LogTarget.Supports(value):
                    error = $"{key}: '{value}' is not stdout, stderr, file:///path, udp://IP:PORT or unix:///path";
                    return false;
                case "--access-logs-target": accessLogs = value; break;
                case "--log-target": logTarget = value; break;
                case "--max-connections": options = options with { MaxConnections = number }; break;
                case "--max-buffers": options = options with { MaxBuffers = number }; break;
                case "--buffer-size": options = options with { BufferSize = number }; break;
                case "--max-incomplete-heads-per-ip": options = options with { MaxIncompleteHeadsPerIp = number }; break;
                case "--listener-source": source = value; break;
                case "--listen-fd":
                    // The supervisor's shared listening socket for an address, inherited across exec.
                    var equals = value.LastIndexOf('=');
                    if (equals <= 0 || !int.TryParse(value.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
                    {
                        error = $"--listen-fd needs ADDRESS=FD, got '{value}'";
                        return false;
                    }
                    inherited[value[..equals]] = fd;
                    break;
                default:
                    error = $"unknown option '{key}'";
                    return false;
            }
        }
        if (id is null || directory is null)
        {
            error = "--id and --socket-dir are required";
            return false;
        }
        options = options with { WorkerId = id.Value, InheritedListenerFds = inherited, SharedListenerSource = source };
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            error = string.Join("; ", problems);
            return false;
        }
        parsed = new WorkerArguments(id.Value, directory, slot ?? SozuHocon.WorkerSlot(id.Value), system, level, options)
        {
            AccessLogsTarget = accessLogs,
            LogTarget = logTarget,
            Standby = standby,
        };
        error = null;
        return true;
    }

    /// <summary>The level of --log-level; an unknown name is info (the supervisor validated the configuration).</summary>
    public static LogEventLevel ParseLevel(string level) => LogLevelControl.Parse(level) ?? LogEventLevel.Information;
}
