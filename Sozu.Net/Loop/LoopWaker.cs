using System.Runtime.InteropServices;
using Sozu.Net.Interop;

namespace Sozu.Net.Loop;

/// <summary>
/// An eventfd registered with the loop: any thread calls <see cref="Wake"/>, the loop's
/// epoll_wait returns and the callback runs on the loop thread. One write per burst: a
/// flag skips the syscall while a wake-up is already pending.
/// </summary>
public sealed class LoopWaker : IReadyHandler, IDisposable
{
    private readonly Action _onWake;
    private int _pending;

    internal LoopWaker(Action onWake)
    {
        _onWake = onWake;
        Fd = Libc.EventFd(0, Libc.EfdNonBlock | Libc.EfdCloExec);
        if (Fd < 0)
        {
            throw new InvalidOperationException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public int Fd { get; }

    internal ulong Token { get; set; }

    public unsafe void Wake()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }
        ulong one = 1;
        Libc.Write(Fd, (byte*)&one, sizeof(ulong));
    }

    unsafe void IReadyHandler.OnReady(uint events)
    {
        ulong value;
        Libc.Read(Fd, (byte*)&value, sizeof(ulong));
        // Cleared before the callback runs, so a Wake during the callback is not lost.
        Volatile.Write(ref _pending, 0);
        _onWake();
    }

    public void Dispose() => Libc.Close(Fd);
}
