using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Client;
using Sozu.Actors.CommandSocket;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Tests.CommandSocket;

/// <summary>The command socket over a real Unix socket, with a TestProbe standing in for the configuration actor.</summary>
public sealed class CommandSocketListenerTests : TestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly string _directory = Path.Combine("/tmp", "sozu-cs-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Akka.TestKit.TestProbe _configuration;

    public CommandSocketListenerTests()
    {
        Directory.CreateDirectory(_directory);
        _configuration = CreateTestProbe();
    }

    private string SocketPath => Path.Combine(_directory, "sozu.sock");

    [Fact]
    public async Task ValidRequest_IsSentToTheConfigurationActor_AndEveryAnswerComesBackAsALine()
    {
        Start();
        await using var client = await Connect();
        await client.SendLineAsync("""{"id":"1","type":"remove_cluster","data":{"cluster_id":"app"}}""");
        var execute = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        Assert.Equal("1", execute.Id);
        Assert.Equal(new RemoveCluster("app"), execute.Request);
        _configuration.Reply(Answer.Processing("1", "working"));
        _configuration.Reply(Answer.Ok("1", message: "done"));
        Assert.Equal(Answer.Processing("1", "working"), await client.ReadAnswerAsync(Timeout()));
        Assert.Equal(Answer.Ok("1", message: "done"), await client.ReadAnswerAsync(Timeout()));
    }

    [Fact]
    public void SocketFile_IsCreatedWithMode0600()
    {
        Start();
        AwaitCondition(() => File.Exists(SocketPath), Patience);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    [Theory]
    [InlineData("this is not json", "not JSON")]
    [InlineData("""{"id":"7","type":"add_bakend","data":{}}""", "unknown type")]
    [InlineData("""{"id":"7","type":"remove_cluster","data":{}}""", "cluster_id")]
    [InlineData("""{"id":"7","type":"add_backend","data":{"cluster_id":"a","backend_id":"b","address":"127.0.0.1:1","weight":"heavy"}}""", "weight")]
    [InlineData("""[1,2,3]""", "expected a JSON object")]
    [InlineData("", "empty line")]
    public async Task BadInput_IsAnsweredWithANamedError_AndTheConnectionServesTheNextRequest(string line, string expected)
    {
        Start();
        await using var client = await Connect();
        await client.SendLineAsync(line);
        var error = await client.ReadAnswerAsync(Timeout());
        Assert.Equal(AnswerStatus.Error, error.Status);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        _configuration.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        await client.SendLineAsync("""{"id":"next","type":"list_workers"}""");
        var execute = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        Assert.Equal("next", execute.Id);
        _configuration.Reply(Answer.Ok("next"));
        Assert.Equal(AnswerStatus.Ok, (await client.ReadAnswerAsync(Timeout())).Status);
    }

    [Fact]
    public async Task ErrorAnswer_CarriesTheRequestId_WhenItCouldBeRead()
    {
        Start();
        await using var client = await Connect();
        await client.SendLineAsync("""{"id":"abc","type":"no_such_type"}""");
        var error = await client.ReadAnswerAsync(Timeout());
        Assert.Equal("abc", error.Id);
        Assert.Equal(AnswerStatus.Error, error.Status);
    }

    [Fact]
    public async Task LineOverTheLimit_IsRefusedWithoutBeingParsed_AndTheNextLineIsRead()
    {
        Start(new CommandSocketSettings { Path = SocketPath, MaxLineBytes = 1024 });
        await using var client = await Connect();
        var huge = """{"id":"big","type":"remove_cluster","data":{"cluster_id":""" + "\"" + new string('x', 100_000) + "\"}}";
        await client.SendLineAsync(huge);
        var error = await client.ReadAnswerAsync(Timeout());
        Assert.Equal(AnswerStatus.Error, error.Status);
        Assert.Contains("line too long", error.Message, StringComparison.Ordinal);
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
        _configuration.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        await client.SendLineAsync("""{"id":"small","type":"remove_cluster","data":{"cluster_id":"a"}}""");
        Assert.Equal("small", _configuration.ExpectMsg<ExecuteRequest>(Patience).Id);
    }

    [Fact]
    public async Task ClientThatNeverReads_IsDropped_WhileAnotherClientIsStillAnswered()
    {
        Start(new CommandSocketSettings { Path = SocketPath, OutgoingQueueLines = 8 });
        using var sleeper = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        sleeper.ReceiveBufferSize = 4096;
        await sleeper.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await sleeper.SendAsync(Encoding.UTF8.GetBytes("""{"id":"s","type":"subscribe_events"}""" + "\n"));
        // Give the subscription time to be registered before flooding.
        await Task.Delay(300);

        // Events bigger than the kernel's buffers: the sleeper's queue must overflow.
        var bigAddress = new string('a', 64 * 1024);
        await using var other = await Connect();
        for (var i = 0; i < 200; i++)
        {
            Sys.EventStream.Publish(new Event(EventKind.BackendDown, "c", "b", bigAddress));
        }
        await other.SendLineAsync("""{"id":"o","type":"list_workers"}""");
        var execute = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        _configuration.Reply(Answer.Ok(execute.Id));
        Assert.Equal("o", (await other.ReadAnswerAsync(Timeout())).Id);

        // The sleeper was disconnected: draining what it was sent ends in end-of-stream, bounded.
        var buffer = new byte[256 * 1024];
        var deadline = DateTime.UtcNow + Patience;
        var closed = false;
        while (DateTime.UtcNow < deadline)
        {
            using var readTimeout = new CancellationTokenSource(Patience);
            var read = await sleeper.ReceiveAsync(buffer, SocketFlags.None, readTimeout.Token);
            if (read == 0)
            {
                closed = true;
                break;
            }
        }
        Assert.True(closed, "the client that did not read should have been disconnected");
    }

    [Fact]
    public async Task SubscribeEvents_StreamsEventLines()
    {
        Start();
        await using var client = await Connect();
        await client.SendLineAsync("""{"id":"sub","type":"subscribe_events"}""");
        Assert.Equal(AnswerStatus.Ok, (await client.ReadAnswerAsync(Timeout())).Status);
        Sys.EventStream.Publish(new Event(EventKind.WorkerCrashed, WorkerId: 3));
        var line = await client.ReadLineAsync(Timeout());
        Assert.NotNull(line);
        Assert.Contains("\"type\":\"event\"", line, StringComparison.Ordinal);
        Assert.True(CommandJson.TryParseEvent(Encoding.UTF8.GetBytes(line), out var e, out _));
        Assert.Equal(new Event(EventKind.WorkerCrashed, WorkerId: 3), e);
    }

    [Fact]
    public async Task ClientThatClosesItsSide_StillGetsTheAnswersItAwaits()
    {
        Start();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"id":"eof","type":"list_workers"}""" + "\n"));
        socket.Shutdown(SocketShutdown.Send);
        var execute = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        _configuration.Reply(Answer.Ok(execute.Id));

        // Everything until the server closes: the answer line, then end of stream (bounded by the timeouts).
        var received = new List<byte>();
        var buffer = new byte[4096];
        for (var reads = 0; reads < 100; reads++)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, Timeout());
            if (read == 0)
            {
                break;
            }
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        Assert.Contains("\"id\":\"eof\"", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsInFlight_AreCapped_UntilAnswered()
    {
        Start(new CommandSocketSettings { Path = SocketPath, MaxRequestsInFlight = 2 });
        await using var client = await Connect();
        for (var i = 0; i < 5; i++)
        {
            await client.SendLineAsync($$"""{"id":"{{i}}","type":"list_workers"}""");
        }
        var first = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        var connection = _configuration.LastSender;
        var second = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        _configuration.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        connection.Tell(Answer.Ok(first.Id));
        Assert.Equal("2", _configuration.ExpectMsg<ExecuteRequest>(Patience).Id);
        Assert.Equal("1", second.Id);
    }

    [Fact]
    public async Task ManyClients_AreServedAtOnce()
    {
        Start();
        const int Clients = 20;
        var clients = new List<CommandSocketClient>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var client = await Connect();
                clients.Add(client);
                await client.SendLineAsync($$"""{"id":"c{{i}}","type":"list_workers"}""");
            }
            for (var i = 0; i < Clients; i++)
            {
                var execute = _configuration.ExpectMsg<ExecuteRequest>(Patience);
                _configuration.Reply(Answer.Ok(execute.Id));
            }
            for (var i = 0; i < Clients; i++)
            {
                Assert.Equal("c" + i, (await clients[i].ReadAnswerAsync(Timeout())).Id);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public void StoppingTheListener_RemovesTheSocketFile()
    {
        var listener = Start();
        AwaitCondition(() => File.Exists(SocketPath), Patience);
        Watch(listener);
        Sys.Stop(listener);
        ExpectTerminated(listener, Patience);
        Assert.False(File.Exists(SocketPath));
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    private IActorRef Start(CommandSocketSettings? settings = null)
    {
        var listener = Sys.ActorOf(CommandSocketListener.Props(_configuration.Ref, settings ?? new CommandSocketSettings { Path = SocketPath }));
        AwaitCondition(() => File.Exists(SocketPath), Patience);
        return listener;
    }

    private async Task<CommandSocketClient> Connect() => await CommandSocketClient.ConnectAsync(SocketPath, Timeout());
}
