using Akka.Actor;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Answers `status`: the supervisor's part comes from the ConfigurationActor (pid, uptime, state,
/// the size of the configuration, the worker table); each worker adds its own uptime and open
/// connections. A worker silent past the gather's timeout keeps them null, so one wedged worker
/// cannot hold the answer.
/// </summary>
public sealed class StatusGatherJob : WorkerGatherJob<WorkerStatusReport>
{
    private readonly string _id;
    private readonly IActorRef _replyTo;
    private readonly StatusContent _supervisor;
    private readonly Dictionary<int, WorkerStatusReport> _reports = [];

    public StatusGatherJob(string id, IActorRef replyTo, StatusContent supervisor, IReadOnlyList<(int Id, IActorRef Worker)> workers)
        : base(workers)
    {
        _id = id;
        _replyTo = replyTo;
        _supervisor = supervisor;
        AskEach(workers, QueryWorkerStatus.Instance);
    }

    public static Props Props(string id, IActorRef replyTo, StatusContent supervisor, IReadOnlyList<(int Id, IActorRef Worker)> workers) =>
        Akka.Actor.Props.Create(() => new StatusGatherJob(id, replyTo, supervisor, workers));

    protected override int WorkerIdOf(WorkerStatusReport report) => report.WorkerId;

    protected override void OnReport(WorkerStatusReport report) => _reports[report.WorkerId] = report;

    protected override void Finish()
    {
        var workers = new List<WorkerStatus>(_supervisor.Workers.Count);
        var running = 0;
        foreach (var worker in _supervisor.Workers)
        {
            running += worker.State == "running" ? 1 : 0;
            workers.Add(_reports.TryGetValue(worker.Id, out var report)
                ? worker with { Connections = report.Connections, UptimeSeconds = report.UptimeSeconds }
                : worker);
        }
        var message = $"{running} of {workers.Count} workers running";
        if (Silent > 0)
        {
            message += $"; {Silent} did not answer in time";
        }
        _replyTo.Tell(Answer.Ok(_id, _supervisor with { Workers = ValueList<WorkerStatus>.From(workers) }, message));
    }
}
