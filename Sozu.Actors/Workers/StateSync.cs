using Akka.Actor;
using Sozu.Messages.State;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Workers;

/// <summary>
/// Sends a whole configuration state to a worker or a standby as <see cref="SyncState"/>
/// parts of one id (<see cref="ConfigChunks"/>), so a state of any size arrives whatever the
/// remoting frame limit. The worker applies it once the last part arrived and answers once.
/// The only way the supervisor side sends a state: the ConfigurationActor for a joining,
/// caught-up or rolled-back worker, a slot supervisor to warm its standby.
/// </summary>
public static class StateSync
{
    /// <summary>Sends <paramref name="state"/> to <paramref name="worker"/> from <paramref name="sender"/>; returns the number of parts.</summary>
    public static int Send(IActorRef worker, string id, ConfigState state, IActorRef sender, string? logLevel = null, SessionTicketKeys? ticketKeys = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(state);
        var pieces = ConfigChunks.Split(state.ToRequests());
        var last = pieces.Count - 1;
        for (var part = 0; part <= last; part++)
        {
            worker.Tell(part == last
                ? new SyncState(id, pieces[part], logLevel, ticketKeys, part, pieces.Count)
                : new SyncState(id, pieces[part], Part: part, Parts: pieces.Count), sender);
        }
        return pieces.Count;
    }
}
