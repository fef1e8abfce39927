using Akka.Actor;

namespace Sozu.Actors.Supervision;

/// <summary>
/// The parent of every <see cref="WorkerSlotSupervisor"/> (/user/workers), so a worker finds its
/// slot at a fixed path. A slot actor that throws is restarted by Akka; its process lives on
/// and is adopted again through its hello.
/// </summary>
public sealed class WorkerPool : ReceiveActor
{
    public WorkerPool(IReadOnlyList<WorkerSlotSettings> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        foreach (var slot in slots)
        {
            Context.ActorOf(WorkerSlotSupervisor.Props(slot), WorkerSlotSupervisor.SlotName(slot.WorkerId));
        }
    }

    public static Props Props(IReadOnlyList<WorkerSlotSettings> slots) => Akka.Actor.Props.Create(() => new WorkerPool(slots));
}
