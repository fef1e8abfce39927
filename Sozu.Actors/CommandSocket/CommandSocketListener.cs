using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Sozu.Messages.Answers;
using Sozu.Messages.Json;

namespace Sozu.Actors.CommandSocket;

/// <summary>
/// Owns the command socket file: binds it with mode 0600 before it accepts anyone, accepts
/// clients on a background task and gives each its own <see cref="CommandConnection"/>, so
/// clients never wait on each other. Stopping the actor closes the socket and removes the file.
/// </summary>
#pragma warning disable CA1001 // an actor's resources are released in PostStop, which Akka calls; it is never disposed by its owner
public sealed class CommandSocketListener : ReceiveActor
#pragma warning restore CA1001
{
    private readonly IActorRef _configuration;
    private readonly CommandSocketSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private long _accepted;

    public CommandSocketListener(IActorRef configuration, CommandSocketSettings settings, Socket? bound = null)
    {
        _configuration = configuration;
        _settings = settings;
        _listener = bound;
        Receive<Accepted>(accepted =>
        {
            _accepted++;
            var uid = PeerCredentials.Uid(accepted.Socket);
            if (!_settings.Access.Allows(uid))
            {
                _log.Warning("command socket: refused a client of uid {0} (command_allowed_uids)", uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
                Refuse(accepted.Socket, uid);
                return;
            }
            Context.ActorOf(CommandConnection.Props(accepted.Socket, _configuration, _settings), "client-" + _accepted);
        });
        Receive<AcceptFailed>(failed => throw new IOException("command socket stopped accepting: " + failed.Reason));
    }

    public static Props Props(IActorRef configuration, CommandSocketSettings settings) =>
        Akka.Actor.Props.Create(() => new CommandSocketListener(configuration, settings, null));

    /// <summary>
    /// Binds the socket now, on the caller's thread, so that `sozu start` fails at once with a clear
    /// message when it cannot (a live supervisor on the same path, a directory it may not write).
    /// </summary>
    /// <exception cref="IOException">The socket cannot be created.</exception>
    public static Props BindNow(IActorRef configuration, CommandSocketSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Socket socket;
        try
        {
            socket = UnixSocketFile.Listen(settings.Path, settings.Access.FileMode);
        }
        catch (SocketException e)
        {
            throw new IOException($"command socket {settings.Path}: {e.Message}", e);
        }
        return Akka.Actor.Props.Create(() => new CommandSocketListener(configuration, settings, socket));
    }

    /// <summary>Children are connections: one failing must not restart the others or the listener.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        _listener ??= UnixSocketFile.Listen(_settings.Path, _settings.Access.FileMode);
        _log.Info("command socket listening on {0}", _settings.Path);
        var self = Self;
        var listener = _listener;
        _ = Task.Run(() => AcceptLoop(listener, self, _stop.Token));
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        _listener?.Dispose();
        _stop.Dispose();
        UnixSocketFile.Remove(_settings.Path);
    }

    private static async Task AcceptLoop(Socket listener, IActorRef self, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptAsync(cancellation).ConfigureAwait(false);
                self.Tell(new Accepted(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException e)
        {
            self.Tell(new AcceptFailed(e.Message));
        }
    }

    /// <summary>One error line, then the connection is closed; nothing the peer sent is read.</summary>
    private static void Refuse(Socket socket, uint? uid)
    {
        byte[] line = [.. CommandJson.SerializeAnswer(Answer.Error("", CommandSocketAccess.Refusal(uid))), (byte)'\n'];
        _ = Task.Run(async () =>
        {
            using (socket)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await socket.SendAsync(line, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    socket.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The peer is gone or does not read: closing is all that is left to do.
                }
            }
        });
    }

    private sealed record Accepted(Socket Socket);

    private sealed record AcceptFailed(string Reason);
}
