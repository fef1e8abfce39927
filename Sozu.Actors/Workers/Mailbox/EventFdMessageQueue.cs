using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Sozu.Actors.Workers.Mailbox;

/// <summary>
/// The mailbox queue of an actor whose thread sleeps in epoll_wait: a lock-free queue plus a
/// wake-up the loop registers (an eventfd it watches). The wake-up is signalled only while the
/// loop has declared itself asleep (a Dekker-style flag: each side writes its own flag, then
/// reads the other's behind a full fence), so a busy loop costs no syscall per message.
/// System messages (Stop, Watch) do not pass here: the loop's finite timeout bounds their delay.
/// </summary>
public sealed class EventFdMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private Action? _wake;
    private int _sleeping;

    public bool HasMessages => !_queue.IsEmpty;

    public int Count => _queue.Count;

    /// <summary>Set by the owning actor once its loop exists; until then nothing sleeps.</summary>
    public void AttachWaker(Action wake) => Volatile.Write(ref _wake, wake);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        _queue.Enqueue(envelope);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) == 1)
        {
            Volatile.Read(ref _wake)?.Invoke();
        }
    }

    public bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    /// <summary>
    /// Loop thread, before epoll_wait: marks the loop asleep; false when a message is already
    /// queued (then the loop must not block: poll with a zero timeout).
    /// </summary>
    public bool TrySleep()
    {
        Volatile.Write(ref _sleeping, 1);
        Interlocked.MemoryBarrier();
        return _queue.IsEmpty;
    }

    /// <summary>Loop thread, after epoll_wait.</summary>
    public void Wakened() => Volatile.Write(ref _sleeping, 0);

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (_queue.TryDequeue(out var envelope))
        {
            deadletters.Enqueue(owner, envelope);
        }
        EventFdMailbox.Forget(owner);
    }
}
