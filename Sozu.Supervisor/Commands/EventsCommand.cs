using System.Net.Sockets;
using Sozu.Actors.Client;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Sozu.Supervisor.Cli;

namespace Sozu.Supervisor.Commands;

/// <summary>`sozu events`: subscribes, then prints each event line as it comes until Ctrl-C or the supervisor leaves.</summary>
internal static class EventsCommand
{
    public static int Run(CliContext cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var socketPath = SocketCommand.ResolveSocket(cli);
        if (socketPath is null)
        {
            return ExitCodes.Usage;
        }
        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var client = CommandSocketClient.ConnectAsync(socketPath, interrupted.Token).GetAwaiter().GetResult();
            var answer = client.ExecuteAsync(new SubscribeEvents(), cancellation: interrupted.Token).GetAwaiter().GetResult();
            if (answer.Status != AnswerStatus.Ok)
            {
                return SocketCommand.Print(cli, answer);
            }
            if (!cli.Json)
            {
                cli.Stderr.WriteLine("following events (Ctrl-C to stop)");
            }
            while (client.ReadEventAsync(interrupted.Token).GetAwaiter().GetResult() is { } next)
            {
                var e = next.Event;
                cli.Stdout.WriteLine(cli.Json
                    ? next.Line
                    : $"{DateTimeOffset.Now:HH:mm:ss} {e.Kind} cluster={e.ClusterId ?? "-"} backend={e.BackendId ?? "-"} address={e.Address ?? "-"} worker={e.WorkerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
                cli.Stdout.Flush();
            }
            cli.Stderr.WriteLine("sozu events: the supervisor closed the connection");
            return ExitCodes.Error;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
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
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
