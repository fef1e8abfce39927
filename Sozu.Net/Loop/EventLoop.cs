using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Sozu.Net.Interop;
using Sozu.Net.Timers;

namespace Sozu.Net.Loop;

/// <summary>
/// One thread, one epoll set, edge-triggered. Sockets are registered once with
/// IN|OUT|RDHUP|ET and never modified; handlers remember readiness themselves. Other threads
/// reach the loop only through <see cref="Post"/> (a lock-free queue plus an eventfd).
/// Drive it with <see cref="Run"/> on a dedicated thread, or with <see cref="RunOnce"/> from an
/// owner that has its own thread (the worker actor on a pinned dispatcher).
/// </summary>
public sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEvents = 1024;

    private readonly int _epollFd;
    private readonly byte* _events;
    private readonly HandlerSlab _handlers = new();
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly LoopWaker _commandWaker;
    private readonly List<IDisposable> _ownedWakers = [];
    private readonly TimeProvider _clock;
    private readonly long _timestampsPerMs;
    private readonly double _microsPerTimestamp;
    private volatile bool _stopRequested;
    private long _nowMicros;
    private bool _nowMicrosValid;
    private bool _disposed;
    private int _threadId;

    public EventLoop()
        : this(TimeProvider.System)
    {
    }

    /// <summary>
    /// A loop reading time from <paramref name="clock"/> (its monotonic timestamps): the system
    /// clock in production, a clock the test moves by hand so timeouts do not depend on the
    /// machine's speed.
    /// </summary>
    public EventLoop(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (clock.TimestampFrequency < 1000)
        {
            throw new ArgumentException("the loop clock needs at least millisecond timestamps", nameof(clock));
        }
        _clock = clock;
        _timestampsPerMs = clock.TimestampFrequency / 1000;
        _microsPerTimestamp = 1_000_000.0 / clock.TimestampFrequency;
        _epollFd = Libc.EpollCreate1(Libc.EpollCloExec);
        if (_epollFd < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }
        _events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * EpollEventLayout.Size));
        NowMs = ReadMs();
        Timers = new TimerWheel(NowMs);
        _commandWaker = new LoopWaker(DrainCommands);
        _commandWaker.Token = Register(_commandWaker.Fd, _commandWaker, EpollFlags.In | EpollFlags.EdgeTriggered);
    }

    /// <summary>The loop clock in milliseconds, read once per wake-up.</summary>
    public long NowMs { get; private set; }

    /// <summary>
    /// A monotonic clock in microseconds for the time histograms, read at most once per wake-up,
    /// when first needed: samples are late by at most the time the loop spent on the events
    /// before them in the same wake-up, and a wake-up that only streams bodies reads no clock.
    /// </summary>
    public long NowMicros
    {
        get
        {
            // Measured at ~100 ns on the test VM (BenchmarkDotNet, LatencyHistogramBenchmarks).
            if (!_nowMicrosValid)
            {
                _nowMicros = ReadMicros();
                _nowMicrosValid = true;
            }
            return _nowMicros;
        }
    }

    public TimerWheel Timers { get; }

    public int RegisteredCount => _handlers.Count;

    /// <summary>True on the thread that drives the loop (the first to call Run or RunOnce).</summary>
    public bool IsLoopThread => _threadId == 0 || _threadId == Environment.CurrentManagedThreadId;

    public bool StopRequested => _stopRequested;

    /// <summary>Thread-safe: queues work for the loop thread and wakes it.</summary>
    public void Post(Action command)
    {
        _commands.Enqueue(command);
        _commandWaker.Wake();
    }

    /// <summary>
    /// Thread-safe: a waker whose <see cref="LoopWaker.Wake"/> makes the loop call
    /// <paramref name="onWake"/> on its thread (e.g. to drain an actor's mailbox).
    /// </summary>
    public LoopWaker CreateWaker(Action onWake)
    {
        var waker = new LoopWaker(onWake);
        waker.Token = Register(waker.Fd, waker, EpollFlags.In | EpollFlags.EdgeTriggered);
        _ownedWakers.Add(waker);
        return waker;
    }

    /// <summary>
    /// Watches an fd the caller owns (level-triggered: <paramref name="onReadable"/> must drain
    /// it, e.g. read an eventfd); loop thread only. Returns a token for <see cref="Unwatch"/>.
    /// </summary>
    public ulong Watch(int fd, Action<int> onReadable)
    {
        var watch = new FdWatch(onReadable, fd);
        watch.Token = Register(fd, watch, EpollFlags.In);
        return watch.Token;
    }

    public void Unwatch(ulong token)
    {
        if (_handlers.Get(token) is FdWatch watch)
        {
            byte dummy = 0;
            Libc.EpollCtl(_epollFd, EpollFlags.CtlDel, watch.Fd, &dummy);
            _handlers.Remove(token);
        }
    }

    internal ulong Register(int fd, IReadyHandler handler, uint events = EpollFlags.Socket)
    {
        var token = _handlers.Add(handler);
        var ev = stackalloc byte[16];
        EpollEventLayout.Write(ev, events, token);
        if (Libc.EpollCtl(_epollFd, EpollFlags.CtlAdd, fd, ev) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _handlers.Remove(token);
            throw new InvalidOperationException($"epoll_ctl(ADD, {fd}) failed: errno {errno}");
        }
        return token;
    }

    /// <summary>Forgets the handler; closing the fd is what removes it from epoll.</summary>
    internal void Unregister(ulong token) => _handlers.Remove(token);

    /// <summary>Removes an fd that stays open (a listener deactivated, a socket handed over).</summary>
    internal void Deregister(int fd, ulong token)
    {
        byte dummy = 0;
        Libc.EpollCtl(_epollFd, EpollFlags.CtlDel, fd, &dummy);
        _handlers.Remove(token);
    }

    /// <summary>Runs until <see cref="RequestStop"/>.</summary>
    public void Run()
    {
        while (!_stopRequested)
        {
            RunOnce(-1);
        }
    }

    /// <summary>Thread-safe: makes <see cref="Run"/> return after the current iteration.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _commandWaker.Wake();
    }

    /// <summary>
    /// One epoll_wait (at most <paramref name="timeoutMs"/>, -1 = until something happens,
    /// shortened to the next due timer slot), then the events, the due timers and the queued
    /// commands. Returns the number of socket events handled.
    /// </summary>
    public int RunOnce(int timeoutMs)
    {
        if (_threadId == 0)
        {
            _threadId = Environment.CurrentManagedThreadId;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timerWait = Timers.MillisecondsToNextExpiry(ReadMs());
        var wait = timerWait < 0 ? timeoutMs : timeoutMs < 0 ? timerWait : Math.Min(timeoutMs, timerWait);
        var count = Libc.EpollWait(_epollFd, _events, MaxEvents, wait);
        if (count < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EIntr)
            {
                throw new InvalidOperationException($"epoll_wait failed: errno {errno}");
            }
            count = 0;
        }
        NowMs = ReadMs();
        _nowMicrosValid = false;
        for (var i = 0; i < count; i++)
        {
            var token = EpollEventLayout.ReadData(_events, i);
            _handlers.Get(token)?.OnReady(EpollEventLayout.ReadEvents(_events, i));
        }
        Timers.Advance(NowMs);
        // Commands queued without a wake (from the loop thread itself) still run promptly.
        if (!_commands.IsEmpty)
        {
            DrainCommands();
        }
        return count;
    }

    private long ReadMs() => _clock.GetTimestamp() / _timestampsPerMs;

    private long ReadMicros() => (long)(_clock.GetTimestamp() * _microsPerTimestamp);

    private void DrainCommands()
    {
        // Bounded to what is queued now, so a command that posts another cannot starve the sockets.
        var pending = _commands.Count;
        while (pending-- > 0 && _commands.TryDequeue(out var command))
        {
            command();
        }
        if (!_commands.IsEmpty)
        {
            _commandWaker.Wake();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _commandWaker.Dispose();
        foreach (var waker in _ownedWakers)
        {
            waker.Dispose();
        }
        Libc.Close(_epollFd);
        NativeMemory.Free(_events);
    }
}
