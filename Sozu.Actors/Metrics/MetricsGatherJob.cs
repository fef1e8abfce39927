using Akka.Actor;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Metrics;

/// <summary>
/// Asks every worker for its counters and answers query_metrics with their sum, filtered by
/// cluster, backend and metric name (an unknown name is refused at once). A worker that has
/// not answered within the gather's timeout is left out (the answer says how many answered), so
/// one wedged worker cannot hold the query.
/// </summary>
public sealed class MetricsGatherJob : WorkerGatherJob<WorkerMetricsReport>
{
    private readonly string _id;
    private readonly QueryMetrics _query;
    private readonly IActorRef _replyTo;
    private readonly List<MetricsContent> _reports = [];

    public MetricsGatherJob(string id, QueryMetrics query, IActorRef replyTo, IReadOnlyList<(int Id, IActorRef Worker)> workers)
        : base(workers)
    {
        _id = id;
        _query = query;
        _replyTo = replyTo;
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
        AskEach(workers, QueryWorkerMetrics.Instance);
    }

    public static Props Props(string id, QueryMetrics query, IActorRef replyTo, IReadOnlyList<(int Id, IActorRef Worker)> workers) =>
        Akka.Actor.Props.Create(() => new MetricsGatherJob(id, query, replyTo, workers));

    protected override int WorkerIdOf(WorkerMetricsReport report) => report.WorkerId;

    protected override void OnReport(WorkerMetricsReport report) => _reports.Add(report.Metrics);

    protected override void Finish()
    {
        var sum = MetricsSelection.Select(MetricsMapping.Filter(MetricsMapping.Sum(_reports), _query.ClusterIds, _query.BackendIds), _query.MetricNames);
        var message = Silent == 0 ? "" : $"{Silent} worker(s) did not answer in time";
        _replyTo.Tell(Answer.Ok(_id, sum, message));
    }
}
