using Akka.Actor;

namespace Sozu.Actors.Workers;

/// <summary>
/// One query answered from every worker: the job asks each, keeps one report per worker, and
/// finishes when all answered or when <see cref="Timeout"/> passes, whichever comes first — so
/// one wedged worker delays an operator's answer by at most that, never holds it.
/// </summary>
/// <typeparam name="TReport">The workers' answer; <see cref="WorkerIdOf"/> tells whose it is.</typeparam>
public abstract class WorkerGatherJob<TReport> : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly HashSet<int> _waiting = [];

    protected WorkerGatherJob(IReadOnlyList<(int Id, IActorRef Worker)> workers)
    {
        foreach (var (workerId, _) in workers)
        {
            _waiting.Add(workerId);
        }
        Receive<TReport>(report =>
        {
            if (_waiting.Remove(WorkerIdOf(report)))
            {
                OnReport(report);
            }
            if (_waiting.Count == 0)
            {
                Complete();
            }
        });
        Receive<TimedOut>(_ => Complete());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Workers that had not answered when the job finished.</summary>
    protected int Silent => _waiting.Count;

    protected abstract int WorkerIdOf(TReport report);

    protected abstract void OnReport(TReport report);

    /// <summary>Answers the requester with what was gathered; called once.</summary>
    protected abstract void Finish();

    protected void AskEach(IReadOnlyList<(int Id, IActorRef Worker)> workers, object query)
    {
        foreach (var (_, worker) in workers)
        {
            worker.Tell(query, Self);
        }
    }

    protected override void PreStart()
    {
        if (_waiting.Count == 0)
        {
            Self.Tell(TimedOut.Instance);
            return;
        }
        Timers.StartSingleTimer(TimedOut.Instance, TimedOut.Instance, Timeout);
    }

    private void Complete()
    {
        Finish();
        Context.Stop(Self);
    }

    private sealed record TimedOut
    {
        public static readonly TimedOut Instance = new();
    }
}
