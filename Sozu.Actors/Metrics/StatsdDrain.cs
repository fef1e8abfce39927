using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Metrics;

/// <summary>
/// Sends the workers' counters to a statsd server over UDP every <see cref="Interval"/>.
///
/// Drained from the supervisor, not from each worker: the supervisor already sums the workers
/// (query_metrics), the worker's loop thread then never formats or sends a metric, and one UDP
/// socket serves the whole proxy. The cost is one query round per interval, off the data plane.
/// </summary>
#pragma warning disable CA1001 // an actor's resources are released in PostStop, which Akka calls; it is never disposed by its owner
public sealed class StatsdDrain : ReceiveActor, IWithTimers
#pragma warning restore CA1001
{
    /// <summary>Default flush period.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Lines are packed into datagrams up to this size (fits a typical 1500-byte MTU).</summary>
    private const int MaxDatagramBytes = 1400;

    private readonly IActorRef _configuration;
    private readonly Socket _socket;
    private readonly EndPoint _target;
    private readonly StatsdLines _lines;
    private readonly TimeSpan _interval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _round;
    private bool _waiting;

    public StatsdDrain(IActorRef configuration, MetricsConfig config, TimeSpan interval)
    {
        _configuration = configuration;
        _target = IPEndPoint.Parse(config.Address!);
        _socket = new Socket(_target.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        _lines = new StatsdLines(config.Prefix, config.TaggedMetrics);
        Receive<Flush>(_ =>
        {
            // One query at a time: a slow round is skipped, not queued.
            if (_waiting)
            {
                return;
            }
            _waiting = true;
            _configuration.Tell(new ExecuteRequest("statsd-" + (++_round).ToString(CultureInfo.InvariantCulture), new QueryMetrics()), Self);
        });
        Receive<Answer>(answer =>
        {
            if (answer.Status == AnswerStatus.Processing)
            {
                return;
            }
            _waiting = false;
            if (answer.Content is MetricsContent metrics)
            {
                Send(_lines.Lines(MetricSamples.From(metrics)));
            }
        });
        _interval = interval;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef configuration, MetricsConfig config, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Address is null || !IPEndPoint.TryParse(config.Address, out _))
        {
            throw new ArgumentException($"metrics address \"{config.Address}\" is not IP:PORT", nameof(config));
        }
        return Akka.Actor.Props.Create(() => new StatsdDrain(configuration, config, interval ?? Interval));
    }

    protected override void PreStart() => Timers.StartPeriodicTimer(Flush.Instance, Flush.Instance, _interval);

    protected override void PostStop() => _socket.Dispose();

    private void Send(List<string> lines)
    {
        var datagram = new StringBuilder(MaxDatagramBytes);
        foreach (var line in lines)
        {
            if (datagram.Length > 0 && datagram.Length + 1 + line.Length > MaxDatagramBytes)
            {
                SendDatagram(datagram.ToString());
                datagram.Clear();
            }
            if (datagram.Length > 0)
            {
                datagram.Append('\n');
            }
            datagram.Append(line);
        }
        if (datagram.Length > 0)
        {
            SendDatagram(datagram.ToString());
        }
    }

    private void SendDatagram(string text)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(text), SocketFlags.None, _target);
        }
        catch (SocketException e)
        {
            // statsd is best effort (no listener, a full buffer): a lost datagram must not stop the drain.
            _log.Debug("statsd: {0}", e.Message);
        }
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }
}
