using Sozu.Actors.Supervision.Interop;

namespace Sozu.Actors.Supervision;

/// <summary>
/// Sees a process that is not our child exit within milliseconds (an adopted worker: its
/// Process.Exited goes to the supervisor that started it, which is dead), through a pidfd, and
/// can kill it through the same pidfd (a pid alone may have been reused by then).
/// One background thread per watched process, polling in slices so that Dispose ends it; only
/// that thread closes the descriptor, never while a poll or a kill uses it.
/// </summary>
internal sealed class ProcessExitWatch : IDisposable
{
    private const int SliceMs = 250;
    private readonly object _gate = new();
    private int _fd = -1; // -1 once closed: the process exited or the watch was disposed
    private volatile bool _disposed;

    private ProcessExitWatch()
    {
    }

    /// <summary>Calls <paramref name="exited"/> once, from a background thread, when <paramref name="pid"/> exits (at once if it is already gone).</summary>
    public static ProcessExitWatch Start(int pid, Action exited)
    {
        ArgumentNullException.ThrowIfNull(exited);
        var watch = new ProcessExitWatch();
        var fd = PidFd.Open(pid);
        if (fd < 0)
        {
            exited();
            return watch;
        }
        watch._fd = fd;
        var thread = new Thread(() =>
        {
            var gone = false;
            while (!watch._disposed && !gone)
            {
                gone = PidFd.WaitForExit(fd, SliceMs);
            }
            lock (watch._gate)
            {
                PidFd.Close(fd);
                watch._fd = -1;
            }
            if (gone && !watch._disposed)
            {
                exited();
            }
        })
        {
            IsBackground = true,
            Name = "pidfd-" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        thread.Start();
        return watch;
    }

    /// <summary>SIGKILL through the pidfd; false when the process has already exited (or the watch is disposed).</summary>
    public bool Kill()
    {
        lock (_gate)
        {
            return _fd >= 0 && PidFd.Kill(_fd);
        }
    }

    public void Dispose() => _disposed = true;
}
