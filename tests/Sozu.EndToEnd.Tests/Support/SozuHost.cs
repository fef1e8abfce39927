using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sozu.Actors.Client;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// A real `sozu start -c config.toml` (supervisor plus worker processes) in a private directory,
/// driven only through its command socket. Disposing stops it (hard_stop, then a kill of the
/// process tree it started, by id).
/// </summary>
public sealed class SozuHost : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public SozuHost(string? directory = null)
    {
        Directory = directory ?? Path.Combine("/tmp", "sozu-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        ListenerPort = FreePort.Tcp();
        PrometheusPort = FreePort.Tcp();
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "config.toml");

    public string SocketPath => Path.Combine(Directory, "sozu.sock");

    public int ListenerPort { get; }

    public int PrometheusPort { get; }

    public int? StatsdPort { get; set; }

    public int WorkerCount { get; set; } = 1;

    /// <summary>More global keys (TOML lines) written before the tables, e.g. access_logs_target.</summary>
    public string ExtraGlobal { get; set; } = "";

    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");

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

    public static string BinaryDirectory => AppContext.BaseDirectory;

    /// <summary>The global part of the configuration; <paramref name="routing"/> is appended (listeners are added here).</summary>
    public void WriteConfig(string routing = "", string? savedState = null)
    {
        var metrics = new StringBuilder("\n[metrics]\n");
        metrics.Append(CultureInfo.InvariantCulture, $"prometheus_address = \"127.0.0.1:{PrometheusPort}\"\n");
        if (StatsdPort is { } statsd)
        {
            metrics.Append(CultureInfo.InvariantCulture, $"address = \"127.0.0.1:{statsd}\"\n");
        }
        var text = $"""
            command_socket = "{SocketPath}"
            worker_count = {WorkerCount}
            log_level = "info"
            {ExtraGlobal}
            {(savedState is null ? "" : $"saved_state = \"{savedState}\"")}
            {metrics}
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:{ListenerPort}"

            {routing}
            """;
        File.WriteAllText(ConfigPath, text);
    }

    public async Task StartAsync()
    {
        if (!File.Exists(ConfigPath))
        {
            WriteConfig();
        }
        var info = new ProcessStartInfo
        {
            FileName = DotnetHost(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        info.ArgumentList.Add(Path.Combine(BinaryDirectory, "sozu.dll"));
        info.ArgumentList.Add("start");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ConfigPath);
        _process = Process.Start(info) ?? throw new InvalidOperationException("sozu did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilServingAsync();
    }

    /// <summary>Until the socket answers and every worker is running (bounded by <see cref="StartTimeout"/>).</summary>
    public async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"sozu exited with {_process.ExitCode}:\n{Output}");
            }
            if (File.Exists(SocketPath))
            {
                try
                {
                    var answer = await ExecuteAsync(new ListWorkers());
                    if (answer.Content is WorkersContent { Workers.Count: > 0 } workers && workers.Workers.All(w => w.State == "running"))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"sozu did not serve within {StartTimeout}:\n{Output}");
    }

    public async Task<CommandSocketClient> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await CommandSocketClient.ConnectAsync(SocketPath, timeout.Token);
    }

    public async Task<Answer> ExecuteAsync(Request request, Action<Answer>? progress = null)
    {
        await using var client = await ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await client.ExecuteAsync(request, progress, timeout.Token);
    }

    /// <summary>Sends raw lines and reads lines until one final answer per line (bounded).</summary>
    public async Task<List<string>> RawAsync(params string[] lines)
    {
        await using var client = await ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var line in lines)
        {
            await client.SendLineAsync(line, timeout.Token);
        }
        var received = new List<string>();
        var finals = 0;
        while (finals < lines.Length)
        {
            var line = await client.ReadLineAsync(timeout.Token) ?? throw new IOException("closed after " + string.Join("\n", received));
            received.Add(line);
            // Neither a progress answer nor an event line (a subscribed connection gets those too).
            if (!line.Contains("\"status\":\"processing\"", StringComparison.Ordinal)
                && !line.StartsWith("{\"type\":\"event\"", StringComparison.Ordinal))
            {
                finals++;
            }
        }
        return received;
    }

    /// <summary>The number of open file descriptors of the supervisor process.</summary>
    public int OpenFileDescriptors() => System.IO.Directory.GetFiles($"/proc/{Pid}/fd").Length;

    /// <summary>Runs the CLI (`sozu -c CONFIG ARGS`) to completion; bounded.</summary>
    public (int ExitCode, string Stdout, string Stderr) Cli(params string[] args) => RunCli(["-c", ConfigPath, .. args]);

    public static (int ExitCode, string Stdout, string Stderr) RunCli(params string[] args)
    {
        var info = new ProcessStartInfo
        {
            FileName = DotnetHost(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(BinaryDirectory, "sozu.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("sozu " + string.Join(' ', args) + " did not finish");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public void Stop()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }
        try
        {
            ExecuteAsync(new HardStop()).Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
    }

    public void Dispose()
    {
        Stop();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
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

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
