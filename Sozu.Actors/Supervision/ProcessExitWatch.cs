using Sozu.Actors.Supervision.Interop;

namespace Sozu.Actors.Supervision;

/// <summary>
/// Sees a process that is not our child exit within milliseconds (an adopted worker: its
/// Process.Exited goes to the supervisor that started it, which is dead), through a pidfd.
/// One background thread per watched process, polling in slices so that Dispose ends it.
/// </summary>
internal sealed class ProcessExitWatch : IDisposable
{
    private const int SliceMs = 250;
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
        var thread = new Thread(() =>
        {
            try
            {
                while (!watch._disposed)
                {
                    if (PidFd.WaitForExit(fd, SliceMs))
                    {
                        if (!watch._disposed)
                        {
                            exited();
                        }
                        return;
                    }
                }
            }
            finally
            {
                PidFd.Close(fd);
            }
        })
        {
            IsBackground = true,
            Name = "pidfd-" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        thread.Start();
        return watch;
    }

    public void Dispose() => _disposed = true;
}
