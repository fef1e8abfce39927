using Akka.Actor;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Answers `status`: the supervisor's part comes from the ConfigurationActor (pid, uptime, state,
/// the size of the configuration, the worker table); each worker adds its own uptime and open
/// connections. A worker silent past <see cref="Timeout"/> keeps them null, so one wedged worker
/// cannot hold the answer.
/// </summary>
public sealed class StatusGatherJob : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly string _id;
    private readonly IActorRef _replyTo;
    private readonly StatusContent _supervisor;
    private readonly Dictionary<int, WorkerStatusReport> _reports = [];
    private readonly HashSet<int> _waiting = [];

    public StatusGatherJob(string id, IActorRef replyTo, StatusContent supervisor, IReadOnlyList<(int Id, IActorRef Worker)> workers)
    {
        _id = id;
        _replyTo = replyTo;
        _supervisor = supervisor;
        foreach (var (workerId, worker) in workers)
        {
            _waiting.Add(workerId);
            worker.Tell(QueryWorkerStatus.Instance, Self);
        }
        Receive<WorkerStatusReport>(report =>
        {
            if (_waiting.Remove(report.WorkerId))
            {
                _reports[report.WorkerId] = report;
            }
            if (_waiting.Count == 0)
            {
                Finish();
            }
        });
        Receive<TimedOut>(_ => Finish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string id, IActorRef replyTo, StatusContent supervisor, IReadOnlyList<(int Id, IActorRef Worker)> workers) =>
        Akka.Actor.Props.Create(() => new StatusGatherJob(id, replyTo, supervisor, workers));

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
        if (_waiting.Count > 0)
        {
            message += $"; {_waiting.Count} did not answer in time";
        }
        _replyTo.Tell(Answer.Ok(_id, _supervisor with { Workers = ValueList<WorkerStatus>.From(workers) }, message));
        Context.Stop(Self);
    }

    private sealed record TimedOut
    {
        public static readonly TimedOut Instance = new();
    }
}
