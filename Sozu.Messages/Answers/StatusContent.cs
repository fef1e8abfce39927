using Sozu.Messages.Collections;

namespace Sozu.Messages.Answers;

/// <summary>One worker as status shows it; <see cref="Connections"/> is null when the worker did not report.</summary>
public sealed record WorkerStatus(int Id, int Pid, string State, long? Connections = null);

/// <summary>The supervisor and its workers at one instant.</summary>
public sealed record StatusContent(
    int SupervisorPid,
    long UptimeSeconds,
    int Clusters,
    int Listeners,
    int Frontends,
    int Backends,
    int Certificates,
    ValueList<WorkerStatus> Workers) : AnswerContent;
