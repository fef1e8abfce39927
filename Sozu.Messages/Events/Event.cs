namespace Sozu.Messages.Events;

public enum EventKind
{
    BackendDown,
    BackendUp,
    NoAvailableBackends,
    RemovedBackendHasNoConnections,
    WorkerCrashed,
    WorkerRestarted,
}

/// <summary>Something that happened in a worker or the supervisor, streamed to subscribers.</summary>
public sealed record Event(EventKind Kind, string? ClusterId = null, string? BackendId = null, string? Address = null, int? WorkerId = null) : ISozuMessage;
