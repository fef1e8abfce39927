using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// A real `sozu start` (and, through it, real `sozu-worker` processes) in a temp directory.
/// Remembers every worker pid it has seen (children of the supervisor) so that Dispose ends
/// exactly the processes this test caused, by their id, even after the supervisor was killed.
/// </summary>
internal sealed class ProxyProcess : IDisposable
{
    private Process _supervisor;
    private readonly StringBuilder _output = new();
    private readonly HashSet<int> _workers = [];
    private readonly HashSet<int> _successors = [];

    private ProxyProcess(string directory, int listenerPort, IReadOnlyDictionary<string, string>? environment)
    {
        Directory = directory;
        ListenerPort = listenerPort;
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sozu.dll"));
        info.ArgumentList.Add("start");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(directory, "config.toml"));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        _supervisor = Launch(info);
    }

    private Process Launch(ProcessStartInfo info)
    {
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>After <see cref="KillSupervisor"/>: a new `sozu start` on the same file and socket directory.</summary>
    public void StartNewSupervisor()
    {
        var info = _supervisor.StartInfo;
        _supervisor.Dispose();
        _supervisor = Launch(info);
    }

    public string Directory { get; }

    public int ListenerPort { get; }

    public int SupervisorPid => _supervisor.Id;

    public string SocketDirectory => Path.Combine(Directory, "sozu-" + GetEffectiveUid().ToString(CultureInfo.InvariantCulture));

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// A proxy with one HTTP listener routing <paramref name="host"/> to <paramref name="backend"/>;
    /// <paramref name="extraConfig"/> (TOML tables: more listeners, clusters) is appended.
    /// </summary>
    public static ProxyProcess Start(string host, string backend, int workers = 2, IReadOnlyDictionary<string, string>? environment = null, string extraGlobal = "", string extraConfig = "")
    {
        var directory = Path.Combine("/tmp", "sozu-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        File.WriteAllText(Path.Combine(directory, "config.toml"), $"""
            command_socket = "sozu.sock"
            worker_count = {workers}
            log_level = "info"
            {extraGlobal}

            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:{port}"

            [clusters.app]
            protocol = "http"
            frontends = [{"{"} address = "127.0.0.1:{port}", hostname = "{host}" {"}"}]
            backends = [{"{"} address = "{backend}" {"}"}]

            {extraConfig}
            """);
        return new ProxyProcess(directory, port, environment);
    }

    /// <summary>True while <paramref name="pid"/> runs (not gone, not a zombie waiting to be reaped).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The worker processes alive now (children of the supervisor, or orphans we saw before),
    /// standbys included: list_workers names the ones that serve.
    /// </summary>
    public IReadOnlyList<int> WorkerPids()
    {
        lock (_workers)
        {
            foreach (var supervisor in (int[])[_supervisor.Id, .. _successors])
            {
                foreach (var pid in ChildrenOf(supervisor))
                {
                    _workers.Add(pid);
                }
            }
            var alive = new List<int>();
            foreach (var pid in _workers)
            {
                if (IsOurWorker(pid))
                {
                    alive.Add(pid);
                }
            }
            return alive;
        }
    }

    /// <summary>
    /// A supervisor that replaced ours (upgrade_main): not our child, but caused by this test, so
    /// Dispose ends it (by its id, once /proc confirms it runs our configuration) and its workers.
    /// </summary>
    public void AddSuccessor(int pid)
    {
        lock (_workers)
        {
            _successors.Add(pid);
        }
    }

    private bool IsOurSupervisor(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(Path.Combine(Directory, "config.toml"), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void KillSupervisor()
    {
        WorkerPids();
        _supervisor.Kill();
        _supervisor.WaitForExit(5000);
    }

    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    public void Dispose()
    {
        var workers = WorkerPids();
        if (!_supervisor.HasExited)
        {
            _supervisor.Kill();
            _supervisor.WaitForExit(5000);
        }
        foreach (var pid in _successors)
        {
            if (IsOurSupervisor(pid))
            {
                Kill(pid);
                // Its children are re-parented (and found below) once it is gone.
                for (var i = 0; i < 500 && IsAlive(pid); i++)
                {
                    Thread.Sleep(10);
                }
            }
        }
        // A supervisor may start a worker (a standby) between the snapshot and its own death, and
        // that one is an orphan by now: found by its command line, which names our own directory.
        foreach (var pid in workers.Concat(OrphansInOurDirectory()).Distinct())
        {
            if (IsOurWorker(pid))
            {
                Kill(pid);
            }
        }
        _supervisor.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool IsOurWorker(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("sozu-worker", StringComparison.Ordinal)
                && commandLine.Contains(SocketDirectory, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Worker processes re-parented to init whose command line names this test's socket directory.</summary>
    private List<int> OrphansInOurDirectory() => [.. ChildrenOf(1).Where(IsOurWorker)];

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return children;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>SIGSTOP / SIGCONT to a process this test started (a worker held still while another is measured).</summary>
    public static void Pause(int pid) => _ = SendSignal(pid, 19);

    public static void Resume(int pid) => _ = SendSignal(pid, 18);

    /// <summary>
    /// Every thread of the process is stopped (state T in /proc/PID/task/*/stat): a SIGSTOP is
    /// delivered asynchronously, each thread stops when it next runs, and the main thread's state
    /// (/proc/PID/stat) says nothing of the loop thread's. Checking the main thread only was the
    /// likely cause of one run (load average about 50) where the 4 keep-alive requests reset by a
    /// kill were on connections missing from the victim's snapshot.
    /// </summary>
    public static bool IsStopped(int pid)
    {
        try
        {
            foreach (var task in System.IO.Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                if (stat[stat.LastIndexOf(')') + 2] != 'T')
                {
                    return false;
                }
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>SIGSTOP, then waits (bounded) until every thread has stopped: only then can the process no longer accept.</summary>
    public static bool PauseAndWait(int pid, TimeSpan limit)
    {
        Pause(pid);
        var clock = Stopwatch.StartNew();
        while (!IsStopped(pid) && clock.Elapsed < limit)
        {
            Thread.Sleep(1);
        }
        return IsStopped(pid);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
#pragma warning disable CA5392, SYSLIB1054 // one libc call, no search path involved
    private static extern int SendSignal(int pid, int signal);
#pragma warning restore CA5392, SYSLIB1054

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
#pragma warning disable CA5392, SYSLIB1054 // one libc call, no search path involved
    private static extern uint GetEffectiveUid();
#pragma warning restore CA5392, SYSLIB1054
}
