using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;
using Sozu.Net.Loop;
using Sozu.Net.Metrics;

namespace Sozu.Net.Worker;

/// <summary>
/// One proxy worker: an event loop and everything it serves. Two kinds of entry points:
/// the loop-thread ones (<see cref="Apply"/>, <see cref="QueryMetrics"/>, <see cref="RunOnce"/>…)
/// called directly by whoever drives the loop (the worker actor on its pinned thread), and the
/// thread-safe ones (<c>…Async</c>) that post to the loop and complete a Task.
/// </summary>
public sealed class ProxyWorker : IDisposable
{
    private readonly ProxyCore _core;

    /// <summary>The loop's state, for tests and benchmarks that need to reach the counters directly.</summary>
    internal ProxyCore Core => _core;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _drained;
    private Thread? _thread;
    private bool _disposed;

    private ProxyWorker(ProxyWorkerOptions options, TimeProvider clock)
    {
        Loop = new EventLoop(clock);
        _core = new ProxyCore(Loop, options);
        _core.Drained = OnDrained;
    }

    public EventLoop Loop { get; }

    public ProxyWorkerOptions Options => _core.Options;

    /// <summary>Completes when the loop has stopped (after a soft or hard stop).</summary>
    public Task Completion => _stopped.Task;

    /// <summary>
    /// Completes when a soft stop has drained: its last session ended, or the deadline closed
    /// what was left (<see cref="SessionsCutAtDeadline"/> says how many). Null before a soft stop.
    /// </summary>
    public Task? Drained => _drained?.Task;

    /// <summary>The access log hook; set before the loop starts or on the loop thread.</summary>
    public IAccessLog? AccessLog
    {
        get => _core.AccessLog;
        set => _core.AccessLog = value;
    }

    /// <summary>Connections refused before anything was proxied (a bad PROXY header), on the loop thread; set before the loop starts or on it.</summary>
    public IConnectionDiagnostics? Diagnostics
    {
        get => _core.Diagnostics;
        set => _core.Diagnostics = value;
    }

    /// <summary>
    /// Receives backend_down, backend_up, no_available_backends and
    /// removed_backend_has_no_connections, on the loop thread; set before the loop starts or on it.
    /// </summary>
    public IWorkerEventSink? EventSink
    {
        get => _core.Events.Sink;
        set => _core.Events.Sink = value;
    }

    /// <summary>
    /// Creates a worker and applies <paramref name="initial"/> in order. Throws
    /// <see cref="ArgumentException"/> naming every invalid option or refused request.
    /// <paramref name="clock"/> drives the loop's time (timeouts, the soft stop's deadline); tests inject one.
    /// </summary>
    public static ProxyWorker Create(ProxyWorkerOptions options, IEnumerable<ConfigRequest>? initial = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }
        var worker = new ProxyWorker(options, clock ?? TimeProvider.System);
        var errors = new List<string>();
        foreach (var request in initial ?? [])
        {
            var result = worker.Apply(request);
            if (!result.Ok)
            {
                errors.Add($"{request.GetType().Name}: {result.Error}");
            }
        }
        if (errors.Count > 0)
        {
            worker.Dispose();
            throw new ArgumentException(string.Join("; ", errors), nameof(initial));
        }
        return worker;
    }

    /// <summary>
    /// The in-process runnable behind <c>sozu start</c> with one worker: applies the
    /// configuration, activates every listener, serves until <paramref name="cancellation"/>
    /// fires, then stops softly (the rest is closed at <see cref="ProxyWorkerOptions.SoftStopTimeout"/>).
    /// </summary>
    public static void RunBlocking(ProxyWorkerOptions options, IEnumerable<ConfigRequest> initial, CancellationToken cancellation, IAccessLog? accessLog = null)
    {
        using var worker = Create(options, initial);
        worker.AccessLog = accessLog;
        var activation = worker.ActivateAllListeners();
        if (activation.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", activation));
        }
        using var registration = cancellation.Register(() => worker.SoftStopAsync(refuseNew: true));
        while (!worker.Loop.StopRequested)
        {
            worker.RunOnce(1000);
        }
    }

    // ---- loop thread ----

    public ApplyResult Apply(ConfigRequest request)
    {
        EnsureLoopThread();
        return _core.Apply(request);
    }

    /// <summary>
    /// The supervisor's session-ticket keys: every HTTPS listener seals with the current key from
    /// now on and opens tickets of either key, so a ticket sealed by any worker opens here.
    /// </summary>
    public void InstallTicketKeys(SessionTicketKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        EnsureLoopThread();
        if (keys.FindViolation() is { } violation)
        {
            throw new ArgumentException(violation, nameof(keys));
        }
        _core.TicketKeys.InstallFromSupervisor(keys.Current.AsSpan(), keys.Previous.AsSpan());
    }

    /// <summary>Activates every listener not yet active; the errors, empty when all listen.</summary>
    public ValueList<string> ActivateAllListeners()
    {
        EnsureLoopThread();
        var errors = new List<string>();
        foreach (var listener in _core.Listeners.Values)
        {
            if (!listener.Active && !listener.Activate(-1, out var error))
            {
                errors.Add(error);
            }
        }
        return ValueList<string>.From(errors);
    }

    /// <summary>Open client sessions (connections accepted and not yet closed).</summary>
    public int SessionCount
    {
        get
        {
            EnsureLoopThread();
            return _core.SessionCount;
        }
    }

    public WorkerMetricsSnapshot QueryMetrics()
    {
        EnsureLoopThread();
        return _core.Snapshot();
    }

    /// <summary>
    /// The loop's half of a metrics query: the raw counters copied into <paramref name="capture"/>
    /// (its arrays reused), to be turned into records off the loop with <see cref="MetricsCapture.ToSnapshot"/>.
    /// </summary>
    public void CaptureMetrics(MetricsCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        EnsureLoopThread();
        capture.Capture(_core, Loop.NowMs);
    }

    public ValueList<ListenerInfo> ListListeners()
    {
        EnsureLoopThread();
        var list = new List<ListenerInfo>();
        foreach (var listener in _core.Listeners.Values)
        {
            list.Add(new ListenerInfo(listener.Config, listener.Active));
        }
        return ValueList<ListenerInfo>.From(list);
    }

    /// <summary>The TLS counters of the HTTPS listener at <paramref name="address"/>; null when there is none.</summary>
    public Tls.TlsCounters? QueryTls(string address)
    {
        EnsureLoopThread();
        foreach (var listener in _core.Listeners.Values)
        {
            if (listener.Tls is not null && (listener.Key == address || listener.Config.Address == address))
            {
                return listener.Tls.Counters;
            }
        }
        return null;
    }

    public Task<Tls.TlsCounters?> QueryTlsAsync(string address) => Invoke(() => QueryTls(address));

    /// <summary>The local port a listener is bound to (useful with port 0); -1 when not listening.</summary>
    public int ListenerPort(string address)
    {
        EnsureLoopThread();
        foreach (var listener in _core.Listeners.Values)
        {
            if (listener.Active && (listener.Key == address || listener.Config.Address == address))
            {
                return Sockets.NativeSocket.LocalAddress(listener.Fd).Port;
            }
        }
        return -1;
    }

    /// <summary>
    /// The listening sockets handed over by <c>DeactivateListener { ToScm = true }</c> ("ip:port" →
    /// fd), for an upgrade to pass to the next process (SCM_RIGHTS); the caller owns them now.
    /// </summary>
    public IReadOnlyDictionary<string, int> TakeDetachedListenerFds()
    {
        EnsureLoopThread();
        return _core.TakeDetachedListenerFds();
    }

    /// <summary>
    /// Soft stop: accepts what already waits in the accept queues, stops accepting, lets the
    /// exchanges in flight finish (each keep-alive connection closes after its next response,
    /// idle ones now), and stops the loop when the last session ends or at
    /// <see cref="ProxyWorkerOptions.SoftStopTimeout"/>, when the rest is closed.
    /// <paramref name="refuseNew"/>: the whole product stops, the listening sockets stop
    /// listening (new connections refused at once); otherwise other workers keep the queue.
    /// </summary>
    public void BeginSoftStop(bool refuseNew = false)
    {
        EnsureLoopThread();
        _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _core.BeginDrain(Loop.NowMs + (long)_core.Options.SoftStopTimeout.TotalMilliseconds, refuseNew);
    }

    /// <summary>Sessions the soft stop's deadline closed (0 when all finished in time).</summary>
    public int SessionsCutAtDeadline
    {
        get
        {
            EnsureLoopThread();
            return _core.SessionsCutAtDeadline;
        }
    }

    /// <summary>Connections the soft stop found waiting in the accept queues and served.</summary>
    public int AcceptedWhileStopping
    {
        get
        {
            EnsureLoopThread();
            return _core.AcceptedWhileStopping;
        }
    }

    /// <summary>Closes every session and listener now and stops the loop.</summary>
    public void HardStop()
    {
        EnsureLoopThread();
        _core.CloseAll();
        _drained?.TrySetResult();
        Loop.RequestStop();
        // When the owner drives RunOnce itself, nobody leaves Run(): complete here too.
        _stopped.TrySetResult();
    }

    public int RunOnce(int timeoutMs) => Loop.RunOnce(timeoutMs);

    public void Run()
    {
        try
        {
            Loop.Run();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    // ---- any thread ----

    /// <summary>Runs the loop on a new dedicated thread (in-process use and tests).</summary>
    public void StartThread(string name = "sozu-worker")
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("the worker thread is already running");
        }
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    public Task<ApplyResult> ApplyAsync(ConfigRequest request) => Invoke(() => _core.Apply(request));

    public Task<WorkerMetricsSnapshot> QueryMetricsAsync() => Invoke(_core.Snapshot);

    public Task<ValueList<string>> ActivateAllListenersAsync() => Invoke(ActivateAllListeners);

    public Task<int> ListenerPortAsync(string address) => Invoke(() => ListenerPort(address));

    /// <summary>Completes when every session has finished (or the deadline passed) and the loop stops.</summary>
    public Task SoftStopAsync(bool refuseNew = false)
    {
        Loop.Post(() => BeginSoftStop(refuseNew));
        return _stopped.Task;
    }

    public Task HardStopAsync()
    {
        Loop.Post(HardStop);
        return _stopped.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the loop thread and completes with its result.</summary>
    public Task<T> Invoke<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.Post(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    private void OnDrained()
    {
        _drained?.TrySetResult();
        Loop.RequestStop();
        _stopped.TrySetResult();
    }

    private void EnsureLoopThread()
    {
        if (!Loop.IsLoopThread)
        {
            throw new InvalidOperationException("this ProxyWorker method runs on the loop thread; use the Async variant from other threads");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (_thread is not null && _thread.IsAlive)
        {
            Loop.Post(HardStop);
            _thread.Join(TimeSpan.FromSeconds(10));
        }
        _disposed = true;
        _core.Dispose();
        Loop.Dispose();
        _stopped.TrySetResult();
    }
}
