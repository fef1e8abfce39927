using Akka.Actor;
using Sozu.Actors.Metrics;
using Sozu.Actors.Operator;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Toml;

namespace Sozu.Actors.Configuration;

/// <summary>
/// The operator's requests: queries answered from the committed state, state files and reloads
/// (read and diffed off the actor's thread by a <see cref="StateChangeJob"/>, then applied as a
/// series of ordinary changes so that other requests interleave), metrics gathered from the
/// workers by a <see cref="MetricsGatherJob"/>, the log level, request counts, event subscriptions.
/// </summary>
public sealed partial class ConfigurationActor
{
    /// <summary>
    /// Handles <paramref name="request"/> and answers <paramref name="replyTo"/> (Processing…,
    /// then one Ok or Error with <paramref name="id"/>), setting <paramref name="handled"/>.
    /// Runs on the actor's thread; reads <see cref="State"/> and the worker table, and changes
    /// the configuration only through <see cref="EnqueueChange"/>.
    /// Leaving <paramref name="handled"/> false answers "not supported yet".
    /// </summary>
    partial void HandleAdmin(string id, Request request, IActorRef replyTo, ref bool handled);

    partial void HandleAdmin(string id, Request request, IActorRef replyTo, ref bool handled)
    {
        handled = true;
        var services = OperatorServices.Get(Context.System);
        switch (request)
        {
            case ListListeners:
                replyTo.Tell(Answer.Ok(id, State.ListListeners()));
                return;
            case ListFrontends list:
                replyTo.Tell(Answer.Ok(id, State.ListFrontends(list.ClusterId, list.Domain)));
                return;
            case QueryClusterById query:
                var cluster = State.QueryClusterById(query.ClusterId);
                replyTo.Tell(cluster is null
                    ? Answer.Error(id, $"no cluster \"{query.ClusterId}\"")
                    : Answer.Ok(id, new ClustersContent(ValueList<ClusterInfo>.Of(cluster))));
                return;
            case QueryClustersByDomain query:
                replyTo.Tell(Answer.Ok(id, new ClustersContent(ValueList<ClusterInfo>.From(State.QueryClustersByDomain(query.Hostname, query.Path)))));
                return;
            case QueryClustersHashes:
                replyTo.Tell(Answer.Ok(id, new ClustersHashesContent(ValueList<ClusterHash>.From(State.ClusterHashes()))));
                return;
            case QueryCertificates query:
                replyTo.Tell(Answer.Ok(id, State.QueryCertificates(query.Domain, query.Fingerprint)));
                return;
            case CountRequests:
                replyTo.Tell(Answer.Ok(id, new RequestCountsContent(services.RequestCounts())));
                return;
            case SubscribeEvents:
                // For Akka clients; the command socket subscribes its own connections.
                Context.System.EventStream.Subscribe(replyTo, typeof(Event));
                replyTo.Tell(Answer.Ok(id, message: "subscribed to events"));
                return;
            case SetLogging logging:
                var level = OperatorServices.ParseLevel(logging.Level);
                if (level is null)
                {
                    replyTo.Tell(Answer.Error(id, $"set_logging: unknown level \"{logging.Level}\"; expected trace, debug, info, warn, error or critical"));
                    return;
                }
                Logging.LogLevelControl.Apply(level.Value, Context.System);
                // Every worker, in sync or not: a sync in flight carried the old level, this follows
                // it. Answered once each worker confirmed: after `ok`, the workers log at that level.
                Context.ActorOf(LogLevelJob.Props(id, replyTo, Logging.LogLevelControl.Name(level.Value), WorkerRefs()));
                return;
            case SaveState save:
                // On the actor's thread, so that a load or a change sent after the save sees the file
                // written and the saved state is exactly the one before them.
                replyTo.Tell(SaveStateAnswer(id, save.Path, State));
                return;
            case LoadState load:
                Context.ActorOf(StateChangeJob.Props(id, replyTo, State, StateChangeJob.FromStateFile(load.Path)));
                return;
            case ReloadConfiguration reload:
                var path = reload.Path ?? services.ConfigPath;
                if (path is null)
                {
                    replyTo.Tell(Answer.Error(id, "reload_configuration: no path given, and the supervisor was not started with a configuration file"));
                    return;
                }
                Context.ActorOf(StateChangeJob.Props(id, replyTo, State, StateChangeJob.FromConfigFile(path)));
                return;
            case ApplyChangeBatch batch:
                EnqueueChange(id, batch.Requests, replyTo);
                return;
            case QueryMetrics query:
                Context.ActorOf(MetricsGatherJob.Props(id, query, replyTo, WorkerRefs()));
                return;
            default:
                handled = false;
                return;
        }
    }

    /// <summary>Every registered worker, in sync or not (queries go to all of them).</summary>
    private List<(int Id, IActorRef Worker)> WorkerRefs()
    {
        var workers = new List<(int Id, IActorRef Worker)>(_workers.Count);
        foreach (var worker in _workers.Values)
        {
            workers.Add((worker.Id, worker.Ref));
        }
        return workers;
    }

    /// <summary>
    /// The supervisor's part of status: its own pid, uptime and state, the state's size, and the
    /// worker table as list_workers has it (a <see cref="StatusGatherJob"/> adds what each worker reports).
    /// </summary>
    internal StatusContent BuildStatus()
    {
        var services = OperatorServices.Get(Context.System);
        var workers = new List<WorkerStatus>();
        foreach (var worker in WorkerInfos)
        {
            workers.Add(new WorkerStatus(worker.Id, worker.Pid, worker.State, null));
        }
        return new StatusContent(
            OperatorServices.ProcessId, services.UptimeSeconds, State.ClusterCount, State.ListenerCount,
            State.FrontendCount, State.BackendCount, State.CertificateCount, ValueList<WorkerStatus>.From(workers),
            _stopping is null ? "running" : "stopping");
    }

    private static Answer SaveStateAnswer(string id, string path, ConfigState state)
    {
        try
        {
            var count = StateFile.Save(path, state);
            return Answer.Ok(id, new StateFileContent(Path.GetFullPath(path), count, 0, 0), $"saved {count} requests to {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Answer.Error(id, $"save_state: {path}: {e.Message}");
        }
    }
}

/// <summary>
/// A slice of a state load or a reload, sent by a <see cref="StateChangeJob"/> to its parent as an
/// <see cref="ExecuteRequest"/> so it queues behind other requests. In-process only.
/// </summary>
internal sealed record ApplyChangeBatch(ValueList<ConfigRequest> Requests) : Request;
