using Sozu.Messages.Requests;
using Sozu.Messages.State;
using LoopResult = Sozu.Net.Worker.ApplyResult;

namespace Sozu.Actors.Workers;

/// <summary>
/// What one worker's loop runs, mirrored as a <see cref="ConfigState"/>, and the two ways the
/// supervisor changes it: a change (<see cref="ApplyChanges"/>, applied request by request as
/// its parts arrive, answered once) and a full state (<see cref="SyncState"/>, gathered from its
/// parts, then only the difference from the mirror applied). A plain class the WorkerActor
/// owns and calls on its loop thread; <paramref name="loop"/> applies one request to the loop.
/// </summary>
public sealed class WorkerConfiguration(Func<ConfigRequest, LoopResult> loop)
{
    private readonly Func<ConfigRequest, LoopResult> _loop = loop ?? throw new ArgumentNullException(nameof(loop));

    // The change whose parts are arriving, and the state it reached.
    private long _changeVersion = -1;
    private int _changeNextPart;
    private int _changeApplied;
    private bool _changeRefused;

    // The sync whose parts are arriving.
    private string? _syncId;
    private int _syncNextPart;
    private readonly List<ConfigRequest> _syncRequests = [];

    /// <summary>How many requests of the change in progress are applied so far, over every part.</summary>
    public int AppliedInChange => _changeApplied;

    /// <summary>What the loop runs now.</summary>
    public ConfigState State { get; private set; } = ConfigState.Empty;

    /// <summary>
    /// One part of a change: applies its requests in order and answers, once per version, after
    /// the last part or at the first refusal (the parts after a refusal are dropped unapplied).
    /// Null: more parts to come, nothing to answer yet.
    /// </summary>
    public ChangesApplied? Apply(ApplyChanges part, int workerId)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Part == 0)
        {
            _changeVersion = part.Version;
            _changeNextPart = 0;
            _changeApplied = 0;
            _changeRefused = false;
        }
        else if (part.Version == _changeVersion && _changeRefused)
        {
            return null; // already answered with the refusal
        }
        if (part.Version != _changeVersion || part.Part != _changeNextPart || part.Parts < 1 || part.Part >= part.Parts)
        {
            var applied = part.Version == _changeVersion ? _changeApplied : 0;
            _changeVersion = part.Version;
            _changeRefused = true;
            return new ChangesApplied(part.Version, workerId, applied,
                $"change {part.Version}: part {part.Part + 1} of {part.Parts} arrived out of order");
        }
        _changeNextPart++;
        foreach (var request in part.Requests)
        {
            if (Apply(request) is { } error)
            {
                _changeRefused = true;
                return new ChangesApplied(part.Version, workerId, _changeApplied, $"{RequestNames.Of(request)}: {error}");
            }
            _changeApplied++;
        }
        return part.Part == part.Parts - 1 ? new ChangesApplied(part.Version, workerId, _changeApplied) : null;
    }

    /// <summary>
    /// Gathers the parts of a sync: the whole state once its last part arrived (then <paramref name="error"/>
    /// is null), null while parts are missing, or null with <paramref name="error"/> set when a part is out
    /// of sequence (the sync is dropped; the supervisor sends a new one).
    /// </summary>
    public IReadOnlyList<ConfigRequest>? Gather(SyncState part, out string? error)
    {
        ArgumentNullException.ThrowIfNull(part);
        error = null;
        if (part.Part == 0)
        {
            _syncId = part.Id;
            _syncNextPart = 0;
            _syncRequests.Clear();
        }
        if (!string.Equals(part.Id, _syncId, StringComparison.Ordinal) || part.Part != _syncNextPart || part.Parts < 1 || part.Part >= part.Parts)
        {
            error = $"sync {part.Id}: part {part.Part + 1} of {part.Parts} arrived out of order";
            DropSync();
            return null;
        }
        _syncNextPart++;
        if (part.Parts == 1)
        {
            DropSync();
            return part.Requests; // the usual case: no copy
        }
        _syncRequests.AddRange(part.Requests);
        if (part.Part < part.Parts - 1)
        {
            return null;
        }
        var whole = _syncRequests.ToArray();
        DropSync();
        return whole;
    }

    /// <summary>
    /// Makes the loop run exactly <paramref name="requests"/> (a full state), applying only the
    /// difference; a standby keeps every listener inactive. Returns the error or null, and the
    /// number of requests applied.
    /// </summary>
    public (string? Error, int Steps) SyncTo(IReadOnlyList<ConfigRequest> requests, bool standby)
    {
        var target = ConfigState.Empty.ApplyAll(standby ? WithoutActivations(requests) : requests);
        if (!target.IsOk)
        {
            return ("the state sent is invalid: " + target.Error, 0);
        }
        var steps = ConfigState.Diff(State, target.State);
        foreach (var step in steps)
        {
            if (Apply(step) is { } error)
            {
                return ($"{RequestNames.Of(step)}: {error}", 0);
            }
        }
        return (null, steps.Count);
    }

    /// <summary>Applies to the mirror first (the same checks the supervisor made), then to the loop.</summary>
    public string? Apply(ConfigRequest request)
    {
        var mirrored = State.Apply(request);
        if (!mirrored.IsOk)
        {
            return mirrored.Error;
        }
        // ConfigState cascades some removals (a cluster takes its frontends and backends with it,
        // a listener its certificates); the loop applies exactly what it is given, so those are
        // expanded into the ordered steps between the two states. Other requests map one to one,
        // without paying for a diff.
        if (request is RemoveCluster or RemoveListener)
        {
            foreach (var step in ConfigState.Diff(State, mirrored.State))
            {
                var stepResult = _loop(step);
                if (!stepResult.Ok)
                {
                    return $"{RequestNames.Of(step)}: {stepResult.Error}";
                }
            }
            State = mirrored.State;
            return null;
        }
        var applied = _loop(request);
        if (!applied.Ok)
        {
            return applied.Error;
        }
        State = mirrored.State;
        return null;
    }

    private void DropSync()
    {
        _syncId = null;
        _syncNextPart = 0;
        _syncRequests.Clear();
    }

    /// <summary>A standby holds the configuration but must not accept: its mirror keeps every listener inactive.</summary>
    private static List<ConfigRequest> WithoutActivations(IReadOnlyList<ConfigRequest> requests)
    {
        var kept = new List<ConfigRequest>(requests.Count);
        foreach (var request in requests)
        {
            if (request is not ActivateListener)
            {
                kept.Add(request);
            }
        }
        return kept;
    }
}
