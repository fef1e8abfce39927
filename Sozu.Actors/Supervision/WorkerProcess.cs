namespace Sozu.Actors.Supervision;

/// <summary>How a slot came to answer for a worker process.</summary>
public enum WorkerProcessOrigin
{
    /// <summary>Started by this supervisor: its child, its exit seen by Process.Exited.</summary>
    Started,

    /// <summary>Started by a previous supervisor and adopted: its exit seen by a pidfd.</summary>
    Adopted,
}

/// <summary>
/// One worker process a slot answers for, started or adopted. Only its launcher acts on it
/// (<see cref="IWorkerProcessLauncher.Kill"/>), through what it attached: the child's
/// <see cref="System.Diagnostics.Process"/> or the adopted process's pidfd, so a kill never
/// reaches another process that reused the pid. Its exit arrives as
/// <see cref="WorkerProcessExited"/>, naming this handle.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    public WorkerProcess(int pid, WorkerProcessOrigin origin)
    {
        Pid = pid;
        Origin = origin;
    }

    public int Pid { get; }

    public WorkerProcessOrigin Origin { get; }

    /// <summary>What the launcher holds for it (a Process, a pidfd watch); disposed with the handle.</summary>
    internal IDisposable? Resource { get; set; }

    public void Dispose() => Resource?.Dispose();

    public override string ToString() => $"{Origin.ToString().ToLowerInvariant()} pid {Pid}";
}

/// <summary>
/// Launcher → slot: <paramref name="Process"/> exited. <paramref name="ExitCode"/> is known for a
/// child only (null: an adopted process, seen by its pidfd).
/// </summary>
public sealed record WorkerProcessExited(WorkerProcess Process, int? ExitCode);
