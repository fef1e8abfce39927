using Sozu.Messages.Answers;

namespace Sozu.Actors.Metrics;

/// <summary>Supervisor → worker: send your counters; answered by <see cref="WorkerMetricsReport"/>.</summary>
public sealed record QueryWorkerMetrics : ISozuActorMessage
{
    public static readonly QueryWorkerMetrics Instance = new();
}

/// <summary>Worker → supervisor: a worker's counters, copied on its loop thread (<see cref="MetricsMapping.FromSnapshot"/>).</summary>
public sealed record WorkerMetricsReport(int WorkerId, MetricsContent Metrics) : ISozuActorMessage;
