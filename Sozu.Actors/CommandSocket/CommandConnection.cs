using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.CommandSocket;

/// <summary>
/// One client of the command socket. Its socket I/O runs in two tasks (a reader, a writer) that
/// only talk to the actor through messages and a bounded queue, so the actor never waits on the
/// client: a client that stops reading fills its queue and is dropped; a client that floods
/// requests is paused once <see cref="CommandSocketSettings.MaxRequestsInFlight"/> await answers.
/// </summary>
#pragma warning disable CA1001 // an actor's resources are released in PostStop, which Akka calls; it is never disposed by its owner
public sealed class CommandConnection : ReceiveActor
#pragma warning restore CA1001
{
    private readonly Socket _socket;
    private readonly IActorRef _configuration;
    private readonly CommandSocketSettings _settings;
    private readonly Channel<byte[]> _outgoing;
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _subscribed;
    private bool _readClosed;

    public CommandConnection(Socket socket, IActorRef configuration, CommandSocketSettings settings)
    {
        _socket = socket;
        _configuration = configuration;
        _settings = settings;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(settings.OutgoingQueueLines)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _inFlight = new SemaphoreSlim(settings.MaxRequestsInFlight, settings.MaxRequestsInFlight);

        Receive<LineReceived>(OnLine);
        Receive<Answer>(OnAnswer);
        Receive<Event>(e => Send(CommandJson.SerializeEvent(e)));
        Receive<ReadClosed>(_ =>
        {
            _readClosed = true;
            FinishIfDone();
        });
        Receive<ClientGone>(gone =>
        {
            if (gone.Reason is not null)
            {
                _log.Debug("command client gone: {0}", gone.Reason);
            }
            Context.Stop(Self);
        });
    }

    public static Props Props(Socket socket, IActorRef configuration, CommandSocketSettings settings) =>
        Akka.Actor.Props.Create(() => new CommandConnection(socket, configuration, settings));

    protected override void PreStart()
    {
        var self = Self;
        _ = Task.Run(() => ReadLoop(self));
        _ = Task.Run(() => WriteLoop(self));
    }

    protected override void PostStop()
    {
        if (_subscribed)
        {
            Context.System.EventStream.Unsubscribe(Self);
        }
        _outgoing.Writer.TryComplete();
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
        _inFlight.Dispose();
    }

    private void OnLine(LineReceived received)
    {
        var line = received.Line;
        if (line.Bytes is null)
        {
            AnswerLocally(Answer.Error("", string.Create(CultureInfo.InvariantCulture,
                $"line too long: {line.Length} bytes, the limit is {_settings.MaxLineBytes} (max_command_line_bytes)")));
            return;
        }
        if (!CommandJson.TryParseRequest(line.Bytes, out var envelope, out var error, out var id))
        {
            AnswerLocally(Answer.Error(id ?? "", error));
            return;
        }
        Operator.OperatorServices.Get(Context.System).CountRequest(CommandJson.RequestTypeName(envelope.Request.GetType()) ?? RequestNames.Of(envelope.Request));
        if (envelope.Request is SubscribeEvents)
        {
            if (!_subscribed)
            {
                Context.System.EventStream.Subscribe(Self, typeof(Event));
                _subscribed = true;
            }
            AnswerLocally(Answer.Ok(envelope.Id, message: "subscribed to events"));
            return;
        }
        _configuration.Tell(new ExecuteRequest(envelope.Id, envelope.Request), Self);
    }

    private void AnswerLocally(Answer answer)
    {
        Send(CommandJson.SerializeAnswer(answer));
        _inFlight.Release();
        FinishIfDone();
    }

    private void OnAnswer(Answer answer)
    {
        Send(CommandJson.SerializeAnswer(answer));
        if (answer.Status != AnswerStatus.Processing && _inFlight.CurrentCount < _settings.MaxRequestsInFlight)
        {
            _inFlight.Release();
            FinishIfDone();
        }
    }

    /// <summary>
    /// A client that has sent everything (socat at the end of its input) still gets its answers:
    /// the connection closes once the last final answer is written, or never while it follows events.
    /// </summary>
    private void FinishIfDone()
    {
        // The reader holds one slot while it waits for the next line; at end of stream it holds none.
        if (_readClosed && !_subscribed && _inFlight.CurrentCount >= _settings.MaxRequestsInFlight)
        {
            _outgoing.Writer.TryComplete();
        }
    }

    private void Send(byte[] json)
    {
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        if (!_outgoing.Writer.TryWrite(line))
        {
            _log.Warning("command client dropped: {0} lines waiting unread", _settings.OutgoingQueueLines);
            Context.Stop(Self);
        }
    }

    private async Task ReadLoop(IActorRef self)
    {
        string? reason = null;
        using var reader = new LineReader(_socket, _settings.MaxLineBytes);
        try
        {
            while (true)
            {
                await _inFlight.WaitAsync(_stop.Token).ConfigureAwait(false);
                var line = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                if (line is null)
                {
                    _inFlight.Release();
                    self.Tell(ReadClosed.Instance);
                    return;
                }
                self.Tell(new LineReceived(line));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            reason = e.Message;
        }
        self.Tell(new ClientGone(reason));
    }

    private async Task WriteLoop(IActorRef self)
    {
        string? reason = null;
        try
        {
            await foreach (var line in _outgoing.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                var sent = 0;
                while (sent < line.Length)
                {
                    sent += await _socket.SendAsync(line.AsMemory(sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
            }
            // Completed by FinishIfDone: everything answered and written.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            reason = e.Message;
        }
        self.Tell(new ClientGone(reason));
    }

    private sealed record LineReceived(LineResult Line);

    private sealed record ClientGone(string? Reason);

    private sealed record ReadClosed
    {
        public static readonly ReadClosed Instance = new();
    }
}
