using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Supervision;

/// <summary>One option of a worker's command line: how <see cref="WorkerLaunch"/> writes it and reads it back.</summary>
internal sealed record WorkerLaunchOption(
    string Name,
    string Placeholder,
    bool IsFlag,
    bool Repeats,
    Action<WorkerLaunch, List<string>> Write,
    WorkerLaunchOption.Reader Read)
{
    public delegate bool Reader(WorkerLaunch launch, string? value, out WorkerLaunch updated, [NotNullWhen(false)] out string? error);
}

/// <summary>
/// The one table of a worker's options, read by both <see cref="WorkerLaunch.ToArguments"/> and
/// <see cref="WorkerLaunch.TryParse"/>. Add a line here for each new setting of the launch.
/// </summary>
internal static class WorkerLaunchOptions
{
    public static readonly IReadOnlyList<WorkerLaunchOption> All =
    [
        Int("--id", l => l.WorkerId, (l, v) => l with { WorkerId = v }),
        Text("--socket-dir", "DIR", l => l.SocketDirectory, (l, v) => l with { SocketDirectory = v }),
        Text("--system", "NAME", l => l.SystemName, (l, v) => l with { SystemName = v }),
        OptionalInt("--slot", l => l.Slot, (l, v) => l with { Slot = v }),
        Flag("--standby", l => l.Standby, l => l with { Standby = true }),
        Text("--log-level", "LEVEL", l => l.LogLevel, (l, v) => l with { LogLevel = v }),
        LogTargetText("--log-target", l => l.LogTarget, (l, v) => l with { LogTarget = v }),
        LogTargetText("--access-logs-target", l => l.AccessLogsTarget, (l, v) => l with { AccessLogsTarget = v }),
        Text("--listener-source", "PATH", l => l.ListenerSource, (l, v) => l with { ListenerSource = v }),
        ListenFd(),
        Int("--max-connections", l => l.MaxConnections, (l, v) => l with { MaxConnections = v }),
        Int("--max-buffers", l => l.MaxBuffers, (l, v) => l with { MaxBuffers = v }),
        Int("--buffer-size", l => l.BufferSize, (l, v) => l with { BufferSize = v }),
        Int("--max-connections-per-ip", l => l.MaxConnectionsPerIp, (l, v) => l with { MaxConnectionsPerIp = v }),
        Int("--retry-after", l => l.RetryAfterSeconds, (l, v) => l with { RetryAfterSeconds = v }),
        Int("--max-incomplete-heads-per-ip", l => l.MaxIncompleteHeadsPerIp, (l, v) => l with { MaxIncompleteHeadsPerIp = v }),
        Int("--soft-stop-timeout", l => l.SoftStopTimeoutSeconds, (l, v) => l with { SoftStopTimeoutSeconds = v }),
    ];

    /// <summary>Options without which a worker cannot find its supervisor.</summary>
    public static readonly IReadOnlyList<string> Required = ["--id", "--socket-dir"];

    public static readonly IReadOnlyDictionary<string, WorkerLaunchOption> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static readonly string Usage = "usage: sozu-worker " + string.Join(' ', All.Select(o =>
    {
        var text = o.IsFlag ? o.Name : o.Name + " " + o.Placeholder;
        return Required.Contains(o.Name) ? text : o.Repeats ? $"[{text}]..." : $"[{text}]";
    }));

    private static WorkerLaunchOption Int(string name, Func<WorkerLaunch, int> get, Func<WorkerLaunch, int, WorkerLaunch> set) =>
        OptionalInt(name, l => get(l), (l, v) => set(l, v));

    private static WorkerLaunchOption OptionalInt(string name, Func<WorkerLaunch, int?> get, Func<WorkerLaunch, int, WorkerLaunch> set) => new(
        name, "N", IsFlag: false, Repeats: false,
        (l, args) =>
        {
            if (get(l) is { } value)
            {
                args.Add(name);
                args.Add(WorkerLaunch.Format(value));
            }
        },
        (WorkerLaunch l, string? value, out WorkerLaunch updated, [NotNullWhen(false)] out string? error) =>
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                updated = l;
                error = $"{name} needs a non-negative integer, got '{value}'";
                return false;
            }
            updated = set(l, number);
            error = null;
            return true;
        });

    private static WorkerLaunchOption Text(string name, string placeholder, Func<WorkerLaunch, string?> get, Func<WorkerLaunch, string, WorkerLaunch> set) =>
        Text(name, placeholder, get, set, checkTarget: false);

    /// <summary>A log target the worker can write to.</summary>
    private static WorkerLaunchOption LogTargetText(string name, Func<WorkerLaunch, string?> get, Func<WorkerLaunch, string, WorkerLaunch> set) =>
        Text(name, "TARGET", get, set, checkTarget: true);

    private static WorkerLaunchOption Text(string name, string placeholder, Func<WorkerLaunch, string?> get, Func<WorkerLaunch, string, WorkerLaunch> set, bool checkTarget) => new(
        name, placeholder, IsFlag: false, Repeats: false,
        (l, args) =>
        {
            if (get(l) is { } value)
            {
                args.Add(name);
                args.Add(value);
            }
        },
        (WorkerLaunch l, string? value, out WorkerLaunch updated, [NotNullWhen(false)] out string? error) =>
        {
            updated = l;
            if (value is null || (checkTarget && !Logging.LogTarget.Supports(value)))
            {
                error = $"{name}: '{value}' is not stdout, stderr, file:///path, udp://IP:PORT or unix:///path";
                return false;
            }
            updated = set(l, value);
            error = null;
            return true;
        });

    private static WorkerLaunchOption Flag(string name, Func<WorkerLaunch, bool> get, Func<WorkerLaunch, WorkerLaunch> set) => new(
        name, "", IsFlag: true, Repeats: false,
        (l, args) =>
        {
            if (get(l))
            {
                args.Add(name);
            }
        },
        (WorkerLaunch l, string? _, out WorkerLaunch updated, [NotNullWhen(false)] out string? error) =>
        {
            updated = set(l);
            error = null;
            return true;
        });

    /// <summary>--listen-fd ADDRESS=FD, once per inherited socket; an address given twice keeps the last fd.</summary>
    private static WorkerLaunchOption ListenFd() => new(
        "--listen-fd", "ADDRESS=FD", IsFlag: false, Repeats: true,
        (l, args) =>
        {
            foreach (var socket in l.ListenFds)
            {
                args.Add("--listen-fd");
                args.Add(socket.Address + "=" + WorkerLaunch.Format(socket.Fd));
            }
        },
        (WorkerLaunch l, string? value, out WorkerLaunch updated, [NotNullWhen(false)] out string? error) =>
        {
            updated = l;
            var equals = value?.LastIndexOf('=') ?? -1;
            if (value is null || equals <= 0 || !int.TryParse(value.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
            {
                error = $"--listen-fd needs ADDRESS=FD, got '{value}'";
                return false;
            }
            var address = value[..equals];
            var sockets = new List<InheritedListenSocket>(l.ListenFds.Count + 1);
            foreach (var socket in l.ListenFds)
            {
                if (socket.Address != address)
                {
                    sockets.Add(socket);
                }
            }
            sockets.Add(new InheritedListenSocket(address, fd));
            updated = l with { ListenFds = ValueList<InheritedListenSocket>.From(sockets) };
            error = null;
            return true;
        });
}
