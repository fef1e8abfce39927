using Akka.Actor;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.Configuration;

/// <summary>
/// One configuration change in flight: the commands that arrived while the previous change was
/// out, each validated in order on top of the ones before it, sent to every worker as one
/// <see cref="Workers.ApplyChanges"/> of <see cref="Version"/> and confirmed once per worker.
/// A plain record of what was sent and what came back; the ConfigurationActor decides.
/// </summary>
internal sealed class ChangeBatch(long version, ConfigState committed)
{
    public long Version { get; } = version;

    /// <summary>Every command taken, in arrival order: the refused ones too, answered in their turn.</summary>
    public List<Entry> Entries { get; } = [];

    /// <summary>The requests of the accepted commands, in order: what the workers apply.</summary>
    public List<ConfigRequest> Requests { get; } = [];

    /// <summary>The state once every accepted command is applied.</summary>
    public ConfigState Target { get; private set; } = committed;

    /// <summary>Worker id → not answered yet.</summary>
    public HashSet<int> Waiting { get; } = [];

    /// <summary>Worker id → how many requests it applied (all of them unless it refused one).</summary>
    public Dictionary<int, int> Applied { get; } = [];

    /// <summary>Worker id → why it refused request number Applied[id], or that it was silent.</summary>
    public Dictionary<int, string> Refusals { get; } = [];

    public int AcceptedCount { get; private set; }

    /// <summary>Validates <paramref name="requests"/> on top of what the batch holds and takes the command either way.</summary>
    public void Add(string id, IActorRef replyTo, ValueList<ConfigRequest> requests)
    {
        string? error;
        ApplyResult result;
        try
        {
            result = Target.ApplyAll(requests);
            error = result.IsOk ? null : result.Error;
        }
#pragma warning disable CA1031 // one bad request must not take the configuration actor (and its state) down
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = default;
            error = "internal error: " + e.Message;
        }
        if (error is not null)
        {
            Entries.Add(new Entry(id, replyTo, requests, Requests.Count, Target, error));
            return;
        }
        Entries.Add(new Entry(id, replyTo, requests, Requests.Count, result.State, null));
        Requests.AddRange(requests);
        Target = result.State;
        AcceptedCount++;
    }

    /// <summary>
    /// The number of requests every worker applied: all of them, or, when a worker refused or
    /// was silent, the fewest any worker applied.
    /// </summary>
    public int AppliedByAll()
    {
        var applied = Requests.Count;
        foreach (var id in Refusals.Keys)
        {
            applied = Math.Min(applied, Applied.GetValueOrDefault(id));
        }
        return applied;
    }

    /// <summary>
    /// A command of the batch. <see cref="Start"/>: the index of its first request in
    /// <see cref="Requests"/>; <see cref="After"/>: the state once it is applied (the state before
    /// it when refused); <see cref="Error"/>: why the state refused it, or null.
    /// </summary>
    public sealed record Entry(string Id, IActorRef ReplyTo, ValueList<ConfigRequest> Requests, int Start, ConfigState After, string? Error)
    {
        public int End => Error is null ? Start + Requests.Count : Start;
    }
}
