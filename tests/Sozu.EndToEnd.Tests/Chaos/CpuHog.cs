using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>
/// Busy processes that load the machine while a scenario runs: each is `timeout 60 sh -c 'while :; do :; done'`
/// (so none outlives a crashed test run by more than a minute), ended by its pid on dispose
/// (SIGTERM, which timeout passes to its shell).
/// </summary>
internal sealed class CpuHog : IDisposable
{
    private readonly List<Process> _processes = [];

    public CpuHog(int processes)
    {
        for (var i = 0; i < processes; i++)
        {
            var info = new ProcessStartInfo("timeout") { UseShellExecute = false };
            foreach (var argument in (string[])["60", "sh", "-c", "while :; do :; done"])
            {
                info.ArgumentList.Add(argument);
            }
            _processes.Add(Process.Start(info) ?? throw new InvalidOperationException("timeout did not start"));
        }
    }

    public IEnumerable<int> Pids => _processes.Select(p => p.Id);

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                _ = Terminate(process.Id, 15);
                if (!process.WaitForExit(5000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            process.Dispose();
        }
        _processes.Clear();
    }

    [DllImport("libc", EntryPoint = "kill")]
#pragma warning disable CA5392, SYSLIB1054 // one libc call, no search path involved
    private static extern int Terminate(int pid, int signal);
#pragma warning restore CA5392, SYSLIB1054
}
