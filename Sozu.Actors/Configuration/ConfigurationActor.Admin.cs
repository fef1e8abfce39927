using Akka.Actor;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Configuration;

/// <summary>
/// The requests the ConfigurationActor delegates: save/load/reload state, state queries,
/// subscribe_events, set_logging, query_metrics aggregation, count_requests. The command-socket
/// work (branch `operator`) implements <see cref="HandleAdmin"/> in another part of this class;
/// until then each of them is answered Error "not supported yet: &lt;type&gt;".
/// </summary>
public sealed partial class ConfigurationActor
{
    /// <summary>
    /// Handles <paramref name="request"/> and answers <paramref name="replyTo"/> (Processing…,
    /// then one Ok or Error with <paramref name="id"/>), setting <paramref name="handled"/>.
    /// Runs on the actor's thread; may read <see cref="State"/> and <see cref="WorkerInfos"/>,
    /// and change the configuration only through <see cref="EnqueueChange"/>.
    /// Leaving <paramref name="handled"/> false answers "not supported yet".
    /// </summary>
    partial void HandleAdmin(string id, Request request, IActorRef replyTo, ref bool handled);
}
