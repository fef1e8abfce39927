using Sozu.Messages.Accounts;
using Sozu.Messages.Config;

namespace Sozu.Messages.Toml;

/// <summary>The top-level keys of the file (SPEC §2), everything but listeners and clusters.</summary>
internal static class GlobalSectionReader
{
    /// <summary>Below this a buffer cannot hold a common request head; Sōzu's default is 16 393.</summary>
    private const int MinBufferSize = 1024;

    public static GlobalConfig Read(TomlSection root)
    {
        var defaults = new GlobalConfig();
        var global = new GlobalConfig
        {
            CommandSocket = FileReferences.ReadPath(root, "command_socket") ?? FileReferences.Resolve(root.Context, defaults.CommandSocket),
            SavedState = FileReferences.ReadPath(root, "saved_state"),
            LogLevel = ReadLogLevel(root) ?? defaults.LogLevel,
            LogTarget = ReadLogTarget(root, "log_target") ?? defaults.LogTarget,
            AccessLogsTarget = ReadLogTarget(root, "access_logs_target"),
            // Sōzu's ascii layout is the one written; its protobuf one is not.
            AccessLogsFormat = ReadAccessLogsFormat(root),
            WorkerCount = root.Int("worker_count", min: 1, max: 512) ?? defaults.WorkerCount,
            WorkerAutomaticRestart = root.Bool("worker_automatic_restart") ?? defaults.WorkerAutomaticRestart,
            WorkerStandby = root.Bool("worker_standby") ?? defaults.WorkerStandby,
            MaxConnections = root.Int("max_connections", min: 1) ?? defaults.MaxConnections,
            MaxBuffers = root.Int("max_buffers", min: 1) ?? defaults.MaxBuffers,
            BufferSize = root.Int("buffer_size", min: MinBufferSize) ?? defaults.BufferSize,
            ActivateListeners = root.Bool("activate_listeners") ?? defaults.ActivateListeners,
            FrontTimeout = root.Int("front_timeout") ?? defaults.FrontTimeout,
            BackTimeout = root.Int("back_timeout") ?? defaults.BackTimeout,
            ConnectTimeout = root.Int("connect_timeout") ?? defaults.ConnectTimeout,
            RequestTimeout = root.Int("request_timeout") ?? defaults.RequestTimeout,
            ZombieCheckInterval = root.Int("zombie_check_interval", min: 1) ?? defaults.ZombieCheckInterval,
            MaxConnectionsPerIp = root.Int("max_connections_per_ip") ?? defaults.MaxConnectionsPerIp,
            RetryAfter = root.Int("retry_after") ?? defaults.RetryAfter,
            MaxIncompleteHeadsPerIp = root.Int("max_incomplete_heads_per_ip", min: 0) ?? defaults.MaxIncompleteHeadsPerIp,
            SoftStopTimeout = root.Int("soft_stop_timeout", min: 0, max: 86_400) ?? defaults.SoftStopTimeout,
            // Sōzu's largest command frame; here, the longest JSON line the command socket accepts.
            MaxCommandLineBytes = root.Int("max_command_buffer_size", min: 1024) ?? defaults.MaxCommandLineBytes,
            CommandAllowedUids = root.UintList("command_allowed_uids"),
            Metrics = ReadMetrics(root),
            TlsTicketRotation = root.Int("tls_ticket_rotation", min: 60) ?? defaults.TlsTicketRotation,
            User = ReadAccount(root, "user"),
            Group = ReadAccount(root, "group"),
        };
        return global;
    }

    /// <summary>user / group: a name the system knows, or an error at its line (a typo must not leave the proxy running as root).</summary>
    private static string? ReadAccount(TomlSection root, string key)
    {
        var name = root.String(key);
        if (name is null)
        {
            return null;
        }
        var known = key == "user" ? SystemAccounts.TryFindUser(name, out _, out _) : SystemAccounts.TryFindGroup(name, out _);
        if (!known)
        {
            root.Error(key, $"unknown {key} \"{name}\" (not found by the system's name service)");
            return null;
        }
        return name;
    }

    private static string? ReadLogLevel(TomlSection root)
    {
        var level = root.String("log_level");
        if (level is null)
        {
            return null;
        }
        foreach (var known in TomlNames.LogLevels)
        {
            if (string.Equals(known, level.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }
        root.Error("log_level", $"unknown level \"{level}\"; expected one of {string.Join(", ", TomlNames.LogLevels)}");
        return null;
    }

    private static string ReadAccessLogsFormat(TomlSection root)
    {
        var format = root.String("access_logs_format");
        if (format is null || string.Equals(format, "ascii", StringComparison.OrdinalIgnoreCase))
        {
            return "ascii";
        }
        root.Error("access_logs_format", $"\"{format}\" is not supported; the access log is written in Sōzu's ascii layout (\"ascii\")");
        return "ascii";
    }

    private static string? ReadLogTarget(TomlSection root, string key)
    {
        var target = root.String(key);
        if (target is null)
        {
            return null;
        }
        if (target is "stdout" or "stderr")
        {
            return target;
        }
        foreach (var scheme in TomlNames.LogTargetSchemes)
        {
            if (target.StartsWith(scheme, StringComparison.Ordinal) && target.Length > scheme.Length)
            {
                return scheme == "file://" ? scheme + FileReferences.Resolve(root.Context, target[scheme.Length..]) : target;
            }
        }
        root.Error(key, $"\"{target}\" is not a log target; expected stdout, stderr, udp://ip:port, tcp://ip:port, unix://path or file://path");
        return null;
    }

    private static MetricsConfig? ReadMetrics(TomlSection root)
    {
        var metrics = root.Table("metrics", ConfigSection.Metrics);
        if (metrics is null)
        {
            return null;
        }
        var config = new MetricsConfig
        {
            Address = AddressText.Read(metrics, "address", required: false),
            TaggedMetrics = metrics.Bool("tagged_metrics") ?? false,
            Prefix = metrics.NonEmptyString("prefix") ?? new MetricsConfig().Prefix,
            PrometheusAddress = AddressText.Read(metrics, "prometheus_address", required: false),
        };
        metrics.ReportUnknownKeys();
        return config;
    }
}
