using Akka.Actor;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Metrics;

/// <summary>
/// Asks every worker for its counters and answers query_metrics with their sum, filtered by
/// cluster, backend and metric name (an unknown name is refused at once). A worker that has
/// not answered within <see cref="Timeout"/> is left out (the answer says how many answered), so
/// one wedged worker cannot hold the query.
/// </summary>
public sealed class MetricsGatherJob : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly string _id;
    private readonly QueryMetrics _query;
    private readonly IActorRef _replyTo;
    private readonly HashSet<int> _waiting = [];
    private readonly List<MetricsContent> _reports = [];

    public MetricsGatherJob(string id, QueryMetrics query, IActorRef replyTo, IReadOnlyList<(int Id, IActorRef Worker)> workers)
    {
        _id = id;
        _query = query;
        _replyTo = replyTo;
        foreach (var (workerId, _) in workers)
        {
            _waiting.Add(workerId);
        }
        Receive<WorkerMetricsReport>(report =>
        {
            if (_waiting.Remove(report.WorkerId))
            {
                _reports.Add(report.Metrics);
            }
            if (_waiting.Count == 0)
            {
                Finish();
            }
        });
        Receive<TimedOut>(_ => Finish());
        var unknown = MetricsSelection.Unknown(query.MetricNames);
        if (unknown.Count > 0)
        {
            _replyTo.Tell(Answer.Error(id, $"query_metrics: unknown metric name(s) {string.Join(", ", unknown)}; known: {string.Join(", ", MetricsMapping.Names)}"));
            Context.Stop(Self);
            return;
        }
        if (query.List)
        {
            _replyTo.Tell(Answer.Ok(id, message: string.Join(", ", MetricsMapping.Names)));
            Context.Stop(Self);
            return;
        }
        foreach (var (_, worker) in workers)
        {
            worker.Tell(QueryWorkerMetrics.Instance, Self);
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string id, QueryMetrics query, IActorRef replyTo, IReadOnlyList<(int Id, IActorRef Worker)> workers) =>
        Akka.Actor.Props.Create(() => new MetricsGatherJob(id, query, replyTo, workers));

    protected override void PreStart()
    {
        if (_waiting.Count == 0)
        {
            Self.Tell(TimedOut.Instance);
            return;
        }
        Timers.StartSingleTimer(TimedOut.Instance, TimedOut.Instance, Timeout);
    }

    private void Finish()
    {
        var sum = MetricsSelection.Select(MetricsMapping.Filter(MetricsMapping.Sum(_reports), _query.ClusterIds, _query.BackendIds), _query.MetricNames);
        var message = _waiting.Count == 0 ? "" : $"{_waiting.Count} worker(s) did not answer in time";
        _replyTo.Tell(Answer.Ok(_id, sum, message));
        Context.Stop(Self);
    }

    private sealed record TimedOut
    {
        public static readonly TimedOut Instance = new();
    }
}
