using Sozu.Messages.Collections;

namespace Sozu.Messages.Answers;

/// <summary>
/// One worker as status shows it: its id, process id, state ("starting" until it confirmed the
/// configuration, then "running"), and, as the worker itself reports them, its process's uptime
/// and open client connections; those two are null when the worker did not answer in time.
/// </summary>
public sealed record WorkerStatus(int Id, int Pid, string State, long? Connections = null, long? UptimeSeconds = null);

/// <summary>The supervisor (pid, uptime, state: "running" or "stopping"), the size of the state, and each worker, at one instant.</summary>
public sealed record StatusContent(
    int SupervisorPid,
    long UptimeSeconds,
    int Clusters,
    int Listeners,
    int Frontends,
    int Backends,
    int Certificates,
    ValueList<WorkerStatus> Workers,
    string State = "running") : AnswerContent;
