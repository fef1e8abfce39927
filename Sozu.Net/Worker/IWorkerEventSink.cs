using Sozu.Messages.Events;

namespace Sozu.Net.Worker;

/// <summary>
/// Receives what a worker notices about its backends: backend_down, backend_up,
/// no_available_backends, removed_backend_has_no_connections. Called on the loop thread, once
/// per transition (never per request); it must return quickly and not throw. The control plane
/// implements it to forward the events to the supervisor.
/// </summary>
public interface IWorkerEventSink
{
    void OnEvent(Event workerEvent);
}
