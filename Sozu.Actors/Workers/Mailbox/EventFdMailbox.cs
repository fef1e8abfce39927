using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Sozu.Actors.Workers.Mailbox;

/// <summary>
/// Mailbox type of the WorkerActor (HOCON <c>sozu.loop-mailbox</c>). Akka creates the queue
/// before the actor, so the actor finds its own queue here by its reference.
/// </summary>
public sealed class EventFdMailbox : MailboxType, IProducesMessageQueue<EventFdMessageQueue>
{
    private static readonly ConcurrentDictionary<IActorRef, EventFdMessageQueue> Queues = new();

    public EventFdMailbox(Settings settings, Config config)
        : base(settings, config)
    {
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system)
    {
        var queue = new EventFdMessageQueue();
        if (owner is not null)
        {
            Queues[owner] = queue;
        }
        return queue;
    }

    /// <summary>The queue Akka created for <paramref name="owner"/>; null when it has another mailbox.</summary>
    public static EventFdMessageQueue? QueueOf(IActorRef owner) => Queues.TryGetValue(owner, out var queue) ? queue : null;

    internal static void Forget(IActorRef owner) => Queues.TryRemove(owner, out _);
}
