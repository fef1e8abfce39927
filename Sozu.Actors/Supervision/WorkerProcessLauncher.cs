using System.Diagnostics;
using System.Globalization;
using Akka.Actor;

namespace Sozu.Actors.Supervision;

/// <summary>
/// The real launcher: <see cref="WorkerCommand"/> started with <see cref="Process"/> (exit by
/// Process.Exited, about 10 ms after a kill -9), adopted workers watched and killed through a
/// pidfd (<see cref="ProcessExitWatch"/>). Never kills by pid or by name.
/// </summary>
public sealed class WorkerProcessLauncher(WorkerCommand command) : IWorkerProcessLauncher
{
    public WorkerProcess Start(int slot, bool standby, IActorRef exits)
    {
        ArgumentNullException.ThrowIfNull(exits);
        var process = new Process { StartInfo = command.StartInfo(slot, standby) };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }
        var handle = new WorkerProcess(process.Id, WorkerProcessOrigin.Started) { Resource = process };
        // Watched only once the handle exists, so the exit always names it (an exit before this
        // point is still raised: the wait starts on a process that has already exited).
        process.Exited += (_, _) => exits.Tell(new WorkerProcessExited(handle, ExitCodeOf(process)));
        process.EnableRaisingEvents = true;
        return handle;
    }

    public WorkerProcess Adopt(int pid, IActorRef exits)
    {
        ArgumentNullException.ThrowIfNull(exits);
        var handle = new WorkerProcess(pid, WorkerProcessOrigin.Adopted);
        handle.Resource = ProcessExitWatch.Start(pid, () => exits.Tell(new WorkerProcessExited(handle, null)));
        return handle;
    }

    public void Kill(WorkerProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        switch (process.Resource)
        {
            case Process child:
                try
                {
                    child.Kill();
                }
                catch (InvalidOperationException)
                {
                    // already exited
                }
                break;
            case ProcessExitWatch adopted:
                adopted.Kill();
                break;
        }
    }

    public bool IsAlive(int pid) => pid > 0 && Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture));

    private static int? ExitCodeOf(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
