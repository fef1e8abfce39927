using System.Net.Sockets;
using Sozu.Actors.Client;
using Sozu.Messages.Answers;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;
using Sozu.Messages.Toml;
using Sozu.Supervisor.Cli;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// Every operator subcommand but `start` and `config check`: find the command socket from the
/// configuration file, send one request, print its answers, map the final one to an exit code
/// (0 ok, 1 error answer, 2 bad usage or no supervisor).
/// </summary>
internal static class SocketCommand
{
    /// <summary>How long the CLI waits for a supervisor that accepted the connection but does not answer.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    public static int Run(CliContext cli, Request request, bool showProgress = false, Func<Answer, int>? printOk = null)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(request);
        var socketPath = ResolveSocket(cli);
        if (socketPath is null)
        {
            return ExitCodes.Usage;
        }
        if (!File.Exists(socketPath))
        {
            cli.Stderr.WriteLine($"sozu: no supervisor: {socketPath} does not exist (is `sozu start` running?)");
            return ExitCodes.Usage;
        }
        try
        {
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            using var client = CommandSocketClient.ConnectAsync(socketPath, timeout.Token).GetAwaiter().GetResult();
            var answer = showProgress && cli.IsTerminal && !cli.Json
                ? ProgressDisplay.Run(cli, message => client.ExecuteAsync(request, a => message(a.Message), timeout.Token))
                : client.ExecuteAsync(request, cli.Json ? a => PrintJson(cli, a) : null, timeout.Token).GetAwaiter().GetResult();
            return Print(cli, answer, printOk);
        }
        catch (SocketException e)
        {
            cli.Stderr.WriteLine($"sozu: cannot reach the supervisor at {socketPath}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (IOException e)
        {
            cli.Stderr.WriteLine($"sozu: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            cli.Stderr.WriteLine($"sozu: no answer from the supervisor within {AnswerTimeout.TotalSeconds:0} s");
            return ExitCodes.Usage;
        }
    }

    /// <summary>The socket of the configuration given with -c; null (and a message) when there is none.</summary>
    public static string? ResolveSocket(CliContext cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        if (string.IsNullOrWhiteSpace(cli.ConfigPath))
        {
            cli.Stderr.WriteLine("sozu: missing -c/--config FILE (it names the command socket)");
            return null;
        }
        switch (ConfigFileLoader.Load(cli.ConfigPath))
        {
            case LoadedConfig loaded:
                return loaded.Global.CommandSocket;
            case LoadFailed failed:
                cli.Stderr.WriteLine($"sozu: {(failed.Errors.Count > 0 ? failed.Errors[0].ToString() : cli.ConfigPath + ": cannot be loaded")}");
                return null;
            default:
                return null;
        }
    }

    public static int Print(CliContext cli, Answer answer, Func<Answer, int>? printOk = null)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(answer);
        if (cli.Json)
        {
            PrintJson(cli, answer);
            return answer.Status == AnswerStatus.Ok ? ExitCodes.Ok : ExitCodes.Error;
        }
        if (answer.Status != AnswerStatus.Ok)
        {
            cli.Stderr.WriteLine("error: " + answer.Message);
            return ExitCodes.Error;
        }
        return printOk is null ? AnswerPrinter.Print(cli, answer) : printOk(answer);
    }

    public static void PrintJson(CliContext cli, Answer answer)
    {
        ArgumentNullException.ThrowIfNull(cli);
        cli.Stdout.WriteLine(System.Text.Encoding.UTF8.GetString(CommandJson.SerializeAnswer(answer)));
    }
}
