using Akka.Actor;
using Sozu.Actors.CommandSocket;
using Sozu.Actors.Metrics;
using Sozu.Messages.Config;

namespace Sozu.Actors.Operator;

/// <summary>
/// Everything the operator talks to in a running supervisor, started in one call by `sozu start`:
/// the JSON command socket and, when configured, the statsd drain and the Prometheus endpoint.
/// </summary>
public static class OperatorSurface
{
    public const string CommandSocketName = "command-socket";
    public const string StatsdName = "statsd";
    public const string PrometheusName = "prometheus";

    /// <param name="configPath">The configuration file given at start: the default of reload_configuration.</param>
    /// <exception cref="IOException">The command socket or a metrics endpoint cannot be opened.</exception>
    public static void Start(ActorSystem system, IActorRef configuration, GlobalConfig global, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(global);
        OperatorServices.Get(system).ConfigPath = configPath is null ? null : Path.GetFullPath(configPath);
        system.ActorOf(CommandSocketListener.BindNow(configuration, CommandSocketSettings.From(global)), CommandSocketName);
        if (global.Metrics is { } metrics)
        {
            if (metrics.Address is not null)
            {
                system.ActorOf(StatsdDrain.Props(configuration, metrics), StatsdName);
            }
            if (metrics.PrometheusAddress is not null)
            {
                system.ActorOf(PrometheusEndpoint.BindNow(configuration, metrics.PrometheusAddress), PrometheusName);
            }
        }
    }
}
