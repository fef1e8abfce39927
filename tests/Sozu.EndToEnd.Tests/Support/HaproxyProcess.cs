using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// HAProxy (Debian package, installed by scripts/setup.sh) as an interoperability peer: started
/// in the foreground (-db) on a generated configuration, ready once every bound port accepts,
/// killed by its pid on dispose.
/// </summary>
internal sealed class HaproxyProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HaproxyProcess(Process process) => _process = process;

    public static string Binary => ExternalTool.Find("/usr/sbin/haproxy", "/usr/bin/haproxy")
        ?? throw new InvalidOperationException("haproxy is not installed: run scripts/setup.sh (Debian package haproxy)");

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

    /// <param name="sections">Frontends and backends; global and defaults sections are written here.</param>
    public static async Task<HaproxyProcess> StartAsync(string directory, string sections, params int[] ports)
    {
        var path = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(path, $"""
            global
                maxconn 200
            defaults
                timeout connect 5s
                timeout client 20s
                timeout server 20s
            {sections}

            """);
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-db", "-f", path })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        var haproxy = new HaproxyProcess(process);
        process.OutputDataReceived += (_, e) => haproxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Environment.TickCount64 + 10_000;
        foreach (var port in ports)
        {
            while (!Accepts(port))
            {
                if (process.HasExited || Environment.TickCount64 > deadline)
                {
                    haproxy.Dispose();
                    throw new InvalidOperationException($"haproxy is not listening on {port}:\n{haproxy.Output}");
                }
                await Task.Delay(50);
            }
        }
        return haproxy;
    }

    public static async Task<string> VersionAsync() => (await ExternalTool.RunAsync(Binary, ["-v"], TimeSpan.FromSeconds(10))).Stdout.Split('\n')[0];

    private static bool Accepts(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5_000);
        }
        _process.Dispose();
    }
}
