using Akka.Actor;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Configuration changes at wire speed: the commands waiting at the head of the queue when the
/// previous change is done go out together, as one <see cref="ApplyChanges"/> per worker,
/// confirmed by one <see cref="ChangesApplied"/> per worker. Each command is still validated on
/// its own (on top of the ones before it) and answered on its own, in arrival order.
/// </summary>
public sealed partial class ConfigurationActor
{
    /// <summary>
    /// At most this many requests in one change (a command is never split: a larger one goes
    /// alone). Keeps a change, and the roll-back of a refused one, bounded: one state-file slice.
    /// </summary>
    public const int MaxRequestsPerChange = StateChangeJob.SliceSize;

    private long _version;

    private static ValueList<ConfigRequest>? ChangeOf(Pending pending) => pending switch
    {
        { Batch: { } batch } => batch,
        { Request: ConfigRequest change } => ValueList<ConfigRequest>.From([change]),
        _ => null,
    };

    /// <summary>Takes every change command at the head of the queue (up to <see cref="MaxRequestsPerChange"/> requests) and sends them as one.</summary>
    private void StartChanges()
    {
        var batch = new ChangeBatch(++_version, State);
        while (_queue.TryPeek(out var next) && ChangeOf(next) is { } requests
            && (batch.Entries.Count == 0 || batch.Requests.Count + requests.Count <= MaxRequestsPerChange))
        {
            _queue.Dequeue();
            batch.Add(next.Id, next.ReplyTo, requests);
        }
        if (batch.AcceptedCount == 0)
        {
            AnswerInOrder(batch, committedUpTo: 0, refusal: null);
            return;
        }
        var targets = _workers.Values.Where(w => w.InSync && w.SyncId is null).ToList();
        if (targets.Count == 0)
        {
            // No worker to ask: the state is the authority; workers that join get it.
            Commit(batch.Target, []);
            AnswerInOrder(batch, batch.Requests.Count, refusal: null);
            return;
        }
        foreach (var entry in batch.Entries)
        {
            if (entry.Error is null)
            {
                entry.ReplyTo.Tell(Answer.Processing(entry.Id, $"sending to {targets.Count} worker(s)"));
            }
        }
        var parts = ConfigChunks.Split(batch.Requests);
        foreach (var worker in targets)
        {
            batch.Waiting.Add(worker.Id);
            for (var part = 0; part < parts.Count; part++)
            {
                worker.Ref.Tell(new ApplyChanges(batch.Version, parts[part], part, parts.Count), Self);
            }
        }
        _inFlight = batch;
        Timers.StartSingleTimer(ChangeTimedOut.Key, new ChangeTimedOut(batch.Version), _settings.RequestTimeout);
    }

    private void OnChangesApplied(ChangesApplied ack)
    {
        if (_inFlight is not { } batch || ack.Version != batch.Version || !batch.Waiting.Remove(ack.WorkerId))
        {
            return;
        }
        batch.Applied[ack.WorkerId] = ack.Applied;
        if (ack.Error is not null)
        {
            batch.Refusals[ack.WorkerId] = $"worker {ack.WorkerId} refused: {ack.Error}";
        }
        if (batch.Waiting.Count == 0)
        {
            FinishChange(batch);
        }
    }

    private void OnChangeTimedOut(ChangeTimedOut timeout)
    {
        if (_inFlight is not { } batch || batch.Version != timeout.Version)
        {
            return;
        }
        foreach (var id in batch.Waiting.ToList())
        {
            batch.Waiting.Remove(id);
            batch.Applied[id] = 0;
            batch.Refusals[id] = $"worker {id} did not answer within {_settings.RequestTimeout.TotalSeconds:0.#} s";
            RequestRestart(id, "did not answer a configuration change in time");
        }
        FinishChange(batch);
    }

    /// <summary>
    /// Commits the commands every worker applied and answers them Ok. When a worker refused (or
    /// was silent), the command it refused is answered Error naming it, the state keeps only
    /// the commands before it, every worker that applied more is rolled back to that state by a
    /// sync, and the commands after it go back to the head of the queue, to be validated again
    /// on the committed state and sent in the next change.
    /// </summary>
    private void FinishChange(ChangeBatch batch)
    {
        Timers.Cancel(ChangeTimedOut.Key);
        _inFlight = null;
        if (batch.Refusals.Count == 0)
        {
            Commit(batch.Target, [.. batch.Applied.Keys]);
            AnswerInOrder(batch, batch.Requests.Count, refusal: null);
            Drain();
            return;
        }
        var upTo = batch.AppliedByAll();
        var committed = State;
        foreach (var entry in batch.Entries)
        {
            if (entry.Error is null && entry.End <= upTo)
            {
                committed = entry.After;
            }
        }
        // Every worker is brought back to the committed state, the one that refused too: its
        // mirror applies only the difference, and a refusal may have left half a request behind.
        Commit(committed, []);
        var refusal = string.Join("; ", batch.Refusals.OrderBy(r => r.Key).Select(r => r.Value));
        AnswerInOrder(batch, upTo, refusal);
        Drain();
    }

    /// <summary>
    /// Answers the commands of <paramref name="batch"/> in order: those wholly within the first
    /// <paramref name="committedUpTo"/> requests Ok, the one holding the refused request Error with
    /// <paramref name="refusal"/>, and those after it (refused by the state or not) queued again
    /// ahead of everything else, since they were checked against a state that did not happen.
    /// </summary>
    private void AnswerInOrder(ChangeBatch batch, int committedUpTo, string? refusal)
    {
        var requeue = new List<Pending>();
        var failed = false;
        foreach (var entry in batch.Entries)
        {
            if (failed)
            {
                requeue.Add(new Pending(entry.Id, null, entry.ReplyTo, entry.Requests));
            }
            else if (entry.Error is not null)
            {
                entry.ReplyTo.Tell(Answer.Error(entry.Id, entry.Error));
            }
            else if (entry.End <= committedUpTo)
            {
                entry.ReplyTo.Tell(Answer.Ok(entry.Id));
            }
            else
            {
                entry.ReplyTo.Tell(Answer.Error(entry.Id, refusal ?? "not applied"));
                failed = true;
            }
        }
        if (requeue.Count == 0)
        {
            return;
        }
        var rest = _queue.ToArray();
        _queue.Clear();
        foreach (var pending in requeue)
        {
            _queue.Enqueue(pending);
        }
        foreach (var pending in rest)
        {
            _queue.Enqueue(pending);
        }
    }

    /// <summary>Every worker that confirmed the change now runs <paramref name="state"/>; any other is caught up.</summary>
    private void Commit(ConfigState state, HashSet<int> confirmed)
    {
        State = state;
        foreach (var worker in _workers.Values)
        {
            if (!confirmed.Contains(worker.Id) && worker.InSync)
            {
                BeginSync(worker);
            }
        }
    }

    private sealed record ChangeTimedOut(long Version)
    {
        public const string Key = "change-timeout";
    }
}
