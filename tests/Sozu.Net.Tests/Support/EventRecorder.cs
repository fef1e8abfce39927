using System.Collections.Concurrent;
using Sozu.Messages.Events;
using Sozu.Net.Worker;

namespace Sozu.Net.Tests.Support;

/// <summary>Collects a worker's events (raised on its loop thread) for a test thread to wait on.</summary>
internal sealed class EventRecorder : IWorkerEventSink
{
    private readonly ConcurrentQueue<Event> _events = new();

    public IReadOnlyCollection<Event> Events => _events;

    public void OnEvent(Event workerEvent) => _events.Enqueue(workerEvent);

    public int Count(EventKind kind, string? backendId = null) =>
        _events.Count(e => e.Kind == kind && (backendId is null || e.BackendId == backendId));

    /// <summary>Waits (bounded) until an event of <paramref name="kind"/> (for <paramref name="backendId"/> if given) was raised.</summary>
    public Event WaitFor(EventKind kind, string? backendId = null, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            foreach (var e in _events)
            {
                if (e.Kind == kind && (backendId is null || e.BackendId == backendId))
                {
                    return e;
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"no {kind} event for {backendId ?? "any backend"} within {timeoutMs} ms; got [{string.Join(", ", _events)}]");
    }
}
