using System.Diagnostics;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// scripts/slow-clients/origin.py (copied next to the tests) in a process of its own: an origin
/// that reads request bodies before answering and serves GET /big (1 MiB). Out of this process
/// so that serving hundreds of slow clients does not slow the test's own probe. Disposing kills
/// the process this started, by id.
/// </summary>
internal sealed class PythonOrigin : IDisposable
{
    private readonly Process _process;

    public PythonOrigin()
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Hostile", "origin.py"));
        info.ArgumentList.Add("0");
        _process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var line = _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        if (!int.TryParse(line, out var port))
        {
            Dispose();
            throw new InvalidOperationException($"origin.py printed '{line}' instead of its port");
        }
        Address = $"127.0.0.1:{port}";
    }

    public string Address { get; }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        _process.Dispose();
    }
}
