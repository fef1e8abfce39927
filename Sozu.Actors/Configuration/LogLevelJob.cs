using Akka.Actor;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;

namespace Sozu.Actors.Configuration;

/// <summary>
/// set_logging in the workers: tells each its new level and answers the operator once every
/// worker confirmed it (<see cref="WorkerLogLevelSet"/>), so that a tool which turns debug on and
/// then sends traffic sees the debug lines of that traffic. A worker that does not confirm within
/// <see cref="WorkerGatherJob{TReport}.Timeout"/> is named in the answer, which is still ok: the
/// supervisor's level is set, and a worker that missed it gets the level with its next sync.
/// </summary>
public sealed class LogLevelJob : WorkerGatherJob<WorkerLogLevelSet>
{
    private readonly string _id;
    private readonly IActorRef _replyTo;
    private readonly string _level;
    private readonly int _workers;

    public LogLevelJob(string id, IActorRef replyTo, string level, IReadOnlyList<(int Id, IActorRef Worker)> workers)
        : base(workers)
    {
        _id = id;
        _replyTo = replyTo;
        _level = level;
        _workers = workers.Count;
        AskEach(workers, new SetWorkerLogLevel(level));
    }

    public static Props Props(string id, IActorRef replyTo, string level, IReadOnlyList<(int Id, IActorRef Worker)> workers) =>
        Akka.Actor.Props.Create(() => new LogLevelJob(id, replyTo, level, workers));

    protected override int WorkerIdOf(WorkerLogLevelSet report) => report.WorkerId;

    protected override void OnReport(WorkerLogLevelSet report)
    {
    }

    protected override void Finish()
    {
        var message = Silent == 0
            ? $"log level set to {_level} in the supervisor and {_workers} worker(s)"
            : $"log level set to {_level} in the supervisor and {_workers - Silent} of {_workers} worker(s); {Silent} did not confirm in time (they get it with their next sync)";
        _replyTo.Tell(Answer.Ok(_id, message: message));
    }
}
