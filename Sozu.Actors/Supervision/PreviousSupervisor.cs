using Sozu.Actors.Supervision.Interop;

namespace Sozu.Actors.Supervision;

/// <summary>
/// The supervisor an upgrade_main replaces: its successor takes the command socket, the Akka
/// address and the listener source only once it has exited (seen by a pidfd, not by polling pids).
/// </summary>
public static class PreviousSupervisor
{
    /// <summary>True once <paramref name="pid"/> has exited (at once if it is gone), false if it still runs after <paramref name="limit"/>.</summary>
    public static bool WaitForExit(int pid, TimeSpan limit)
    {
        var fd = PidFd.Open(pid);
        if (fd < 0)
        {
            return true;
        }
        try
        {
            return PidFd.WaitForExit(fd, (int)limit.TotalMilliseconds);
        }
        finally
        {
            PidFd.Close(fd);
        }
    }
}
