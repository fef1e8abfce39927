using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Sozu.Actors.Remoting;

namespace Sozu.Actors.Hocon;

/// <summary>
/// Loads hocon/supervisor.hocon or hocon/worker.hocon over the embedded reference configuration
/// (<see cref="Reference"/>, every key with its default and comment) and applies the values only
/// known at start-up (socket directory, slot, system name). Every override is validated first, so
/// a bad value fails here with a clear message instead of deep inside Akka's start-up.
/// </summary>
public static partial class SozuHocon
{
    public const string SupervisorFile = "supervisor.hocon";
    public const string WorkerFile = "worker.hocon";

    /// <summary>The HOCON section of <see cref="UnixDomainSocketTransport"/>.</summary>
    public const string TransportSection = "akka.remote.unix-domain-socket";

    public const string SystemNameKey = "sozu.system-name";

    /// <summary>The manifest name of Hocon/reference.conf in this assembly.</summary>
    public const string ReferenceResource = "Sozu.Actors.reference.conf";

    /// <summary>
    /// Hocon/reference.conf, embedded in this assembly: the fallback of every configuration
    /// <see cref="Parse"/> returns, as Akka's modules fall back on their reference.conf.
    /// </summary>
    public static Config Reference { get; } = LoadReference();

    /// <summary>The slot of the supervisor; worker N uses <see cref="WorkerSlot"/>(N).</summary>
    public const int SupervisorSlot = 1;

    public static int WorkerSlot(int workerId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workerId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workerId, 65535 - 100);
        return 100 + workerId;
    }

    /// <summary>The path of a shipped HOCON file next to the running executable.</summary>
    public static string Shipped(string fileName) => Path.Combine(AppContext.BaseDirectory, fileName);

    public static Config Load(string path, SozuHoconOverrides? overrides = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Akka configuration file '{path}' does not exist.", path);
        }
        return Parse(File.ReadAllText(path), overrides);
    }

    public static Config Parse(string hocon, SozuHoconOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        var file = ConfigurationFactory.ParseString(hocon).WithFallback(Reference);
        if (overrides is null)
        {
            return file;
        }
        return ConfigurationFactory.ParseString(Render(overrides)).WithFallback(file);
    }

    public static string SystemName(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = config.GetString(SystemNameKey, null);
        if (name is null || !IsValidSystemName(name))
        {
            throw new ConfigurationException($"{SystemNameKey} '{name}' must be [A-Za-z0-9][A-Za-z0-9_-]*.");
        }
        return name;
    }

    /// <summary>Loads a file, applies the overrides and starts the ActorSystem it describes.</summary>
    public static ActorSystem CreateSystem(string path, SozuHoconOverrides? overrides = null)
    {
        var config = Load(path, overrides);
        return ActorSystem.Create(SystemName(config), config);
    }

    private static Config LoadReference()
    {
        using var stream = typeof(SozuHocon).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"{ReferenceResource} is not embedded in {typeof(SozuHocon).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static string Render(SozuHoconOverrides overrides)
    {
        var hocon = new StringBuilder();
        if (overrides.SocketDirectory is { } directory)
        {
            if (!Path.IsPathFullyQualified(directory))
            {
                throw new ArgumentException($"The socket directory '{directory}' must be an absolute path.", nameof(overrides));
            }
            hocon.Append(CultureInfo.InvariantCulture, $"{TransportSection}.socket-dir = {Quote(directory)}\n");
        }
        if (overrides.Hostname is { } host)
        {
            if (!UnixDomainSocketTransportSettings.IsValidHostname(host))
            {
                throw new ArgumentException($"The hostname '{host}' must be 1-63 characters of [a-z0-9-].", nameof(overrides));
            }
            hocon.Append(CultureInfo.InvariantCulture, $"{TransportSection}.hostname = {Quote(host)}\n");
        }
        if (overrides.Slot is { } slot)
        {
            if (!UnixDomainSocketTransportSettings.IsValidPort(slot))
            {
                throw new ArgumentException($"The slot {slot} must be in 1..65535.", nameof(overrides));
            }
            hocon.Append(CultureInfo.InvariantCulture, $"{TransportSection}.port = {slot}\n");
        }
        if (overrides.SystemName is { } name)
        {
            if (!IsValidSystemName(name))
            {
                throw new ArgumentException($"The system name '{name}' must be [A-Za-z0-9][A-Za-z0-9_-]*.", nameof(overrides));
            }
            hocon.Append(CultureInfo.InvariantCulture, $"{SystemNameKey} = {Quote(name)}\n");
        }
        return hocon.ToString();
    }

    /// <summary>A HOCON quoted string: JSON string syntax.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }

    private static bool IsValidSystemName(string name) => SystemNamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SystemNamePattern();
}
