using System.Text.RegularExpressions;
using Akka.Configuration;

namespace Sozu.Actors.Remoting;

/// <summary>The settings of <see cref="UnixDomainSocketTransport"/>, read from its HOCON section.</summary>
public sealed partial record UnixDomainSocketTransportSettings
{
    public const long DefaultMaximumFrameSize = 4 * 1024 * 1024;

    public required string SocketDirectory { get; init; }

    /// <summary>The logical host of this system's address; only [a-z0-9-], since it becomes a file name.</summary>
    public required string Hostname { get; init; }

    /// <summary>The slot id (1..65535): the port of this system's address.</summary>
    public required int Port { get; init; }

    public long MaximumFrameSize { get; init; } = DefaultMaximumFrameSize;

    /// <summary>Bytes queued on one association before Write returns false (back-pressure).</summary>
    public long SendQueueLimit { get; init; } = 2 * DefaultMaximumFrameSize;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long closing an association may spend flushing queued frames.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public int Backlog { get; init; } = 64;

    public static UnixDomainSocketTransportSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = new UnixDomainSocketTransportSettings
        {
            SocketDirectory = config.GetString("socket-dir", null) ?? throw new ConfigurationException("socket-dir is missing"),
            Hostname = config.GetString("hostname", null) ?? throw new ConfigurationException("hostname is missing"),
            Port = config.GetInt("port", 0),
            MaximumFrameSize = config.GetByteSize("maximum-frame-size", null) ?? DefaultMaximumFrameSize,
            SendQueueLimit = config.GetByteSize("send-queue-limit", null) ?? 2 * DefaultMaximumFrameSize,
            ConnectTimeout = config.GetTimeSpan("connect-timeout", TimeSpan.FromSeconds(5), allowInfinite: false),
            FlushTimeout = config.GetTimeSpan("flush-timeout", TimeSpan.FromSeconds(2), allowInfinite: false),
            Backlog = config.GetInt("backlog", 64),
        };
        settings.Validate();
        return settings;
    }

    public static bool IsValidHostname(string? host) => host is { Length: > 0 and <= 63 } && HostnamePattern().IsMatch(host);

    public static bool IsValidPort(int port) => port is >= 1 and <= 65535;

    private void Validate()
    {
        if (!IsValidHostname(Hostname))
        {
            throw new ConfigurationException($"hostname '{Hostname}' must be 1-63 characters of [a-z0-9-], starting with a letter or digit: it becomes part of a socket file name.");
        }
        if (!IsValidPort(Port))
        {
            throw new ConfigurationException($"port {Port} must be a slot id in 1..65535 (Akka parses addresses with System.Uri).");
        }
        if (MaximumFrameSize is < 1024 or > int.MaxValue - 4)
        {
            throw new ConfigurationException($"maximum-frame-size {MaximumFrameSize} must be between 1 KiB and 2 GiB.");
        }
        if (SendQueueLimit < MaximumFrameSize)
        {
            throw new ConfigurationException($"send-queue-limit {SendQueueLimit} must be at least maximum-frame-size {MaximumFrameSize}.");
        }
        if (Backlog < 1)
        {
            throw new ConfigurationException($"backlog {Backlog} must be positive.");
        }
        _ = Remoting.SocketDirectory.SocketPath(SocketDirectory, Hostname, Port);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostnamePattern();
}
