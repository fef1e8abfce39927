using Sozu.Messages.Events;

namespace Sozu.Messages.Json.Wire;

/// <summary>
/// An event as a subscriber reads it: the event's fields beside "type":"event", so that a
/// client reading one stream tells answers and events apart by the first key it checks.
/// </summary>
internal sealed record EventLine(
    string Type,
    EventKind Kind,
    string? ClusterId = null,
    string? BackendId = null,
    string? Address = null,
    int? WorkerId = null)
{
    public const string TypeValue = "event";

    public static EventLine From(Event value) => new(TypeValue, value.Kind, value.ClusterId, value.BackendId, value.Address, value.WorkerId);

    public Event ToEvent() => new(Kind, ClusterId, BackendId, Address, WorkerId);
}
