using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Tests.TestSupport;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;
using Xunit.Abstractions;

namespace Sozu.Actors.Tests.Remoting;

/// <summary>Two ActorSystems of this test process talking through the Unix-domain socket transport.</summary>
// Start_TwoSystems_OpenNoTcpListeningSocket counts this process's TCP listening sockets: a test
// of another class opening one meanwhile (a Prometheus endpoint, a backend) failed it in CI.
[Collection(nameof(ProcessWideSockets))]
public sealed class UnixDomainSocketRemotingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    private readonly TempSocketDirectory _directory = new();
    private readonly List<ActorSystem> _systems = [];

    public void Dispose()
    {
        foreach (var system in _systems)
        {
            system.Terminate().Wait(ShutdownTimeout);
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task Ask_WorkerRequestFromWorkerToSupervisor_ReturnsTheTypedAnswer()
    {
        var supervisor = Start(Systems.Supervisor(_directory.Path));
        var worker = Start(Systems.Worker(_directory.Path, 1));
        supervisor.ActorOf(Props.Create(() => new EchoActor(0)), "echo");
        var request = SampleMessages.Request(7);

        var answer = await worker.ActorSelection("akka.unix://sozu@supervisor:1/user/echo").Ask<WorkerResponse>(request, AskTimeout);

        Assert.Equal(EchoActor.ExpectedAnswer(request, 0), answer);
        Assert.Equal("akka.unix://sozu@supervisor:1", ((ExtendedActorSystem)supervisor).Provider.DefaultAddress.ToString());
    }

    [Fact]
    public async Task Ask_ManyRequestsInFlight_AllAnswersArriveInOrder()
    {
        var supervisor = Start(Systems.Supervisor(_directory.Path));
        var worker = Start(Systems.Worker(_directory.Path, 2));
        var echo = worker.ActorOf(Props.Create(() => new EchoActor(2)), "echo");
        var remoteEcho = await supervisor.ActorSelection("akka.unix://sozu@worker:102/user/echo").ResolveOne(AskTimeout);
        Assert.Equal(echo.Path.ToStringWithoutAddress(), remoteEcho.Path.ToStringWithoutAddress());

        var answers = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => remoteEcho.Ask<WorkerResponse>(SampleMessages.Request(i), AskTimeout)));

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"req-{i}"), answers.Select(a => a.Id));
    }

    [Fact]
    public async Task DeathWatch_WorkerSystemTerminates_SupervisorSeesTerminated_AndTheSlotIsReachableAgain()
    {
        var supervisor = Start(Systems.Supervisor(_directory.Path));
        var events = Channel.CreateUnbounded<object>();
        supervisor.ActorOf(Props.Create(() => new RegistryActor(events.Writer)), "registry");

        var first = Start(Systems.Worker(_directory.Path, 1));
        var firstAnnouncement = await Announce(first, events.Reader);
        Assert.Equal("akka.unix://sozu@worker:101", firstAnnouncement.Actor.Path.Address.ToString());
        var request = SampleMessages.Request(1);
        Assert.Equal(EchoActor.ExpectedAnswer(request, 1), await firstAnnouncement.Actor.Ask<WorkerResponse>(request, AskTimeout));

        var clock = Stopwatch.StartNew();
        await first.Terminate().WaitAsync(ShutdownTimeout);
        var terminated = await NextAsync<Terminated>(events.Reader, TimeSpan.FromSeconds(20));
        output.WriteLine($"Terminated after {clock.ElapsedMilliseconds} ms (graceful shutdown of the peer system)");
        Assert.Equal(firstAnnouncement.Actor, terminated.ActorRef);

        clock.Restart();
        var second = Start(Systems.Worker(_directory.Path, 1));
        var secondAnnouncement = await Announce(second, events.Reader);
        output.WriteLine($"Restarted worker announced itself after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(firstAnnouncement.Actor.Path, secondAnnouncement.Actor.Path);
        Assert.NotEqual(firstAnnouncement.Actor.Path.Uid, secondAnnouncement.Actor.Path.Uid);
        Assert.Equal(EchoActor.ExpectedAnswer(request, 1), await secondAnnouncement.Actor.Ask<WorkerResponse>(request, AskTimeout));
    }

    [Fact]
    public async Task Start_SecondSystemOnALiveSlot_FailsAndTheFirstKeepsServing()
    {
        var supervisor = Start(Systems.Supervisor(_directory.Path));
        supervisor.ActorOf(Props.Create(() => new EchoActor(0)), "echo");

        var error = Assert.ThrowsAny<Exception>(() => Start(Systems.Supervisor(_directory.Path)));

        output.WriteLine(error.ToString());
        Assert.Contains("in use", AllMessages(error), StringComparison.Ordinal);
        var worker = Start(Systems.Worker(_directory.Path, 1));
        var request = SampleMessages.Request(3);
        Assert.Equal(EchoActor.ExpectedAnswer(request, 0), await worker.ActorSelection("akka.unix://sozu@supervisor:1/user/echo").Ask<WorkerResponse>(request, AskTimeout));
    }

    [Fact]
    public async Task Start_SocketDirectory_IsCreatedOwnerOnly_AndTheSocketFileIsRemovedOnShutdown()
    {
        var supervisor = Start(Systems.Supervisor(_directory.Path));
        var socket = Path.Combine(_directory.Path, "supervisor-1.sock");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory.Path));
        Assert.True(File.Exists(socket));

        await supervisor.Terminate().WaitAsync(ShutdownTimeout);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task Start_TwoSystems_OpenNoTcpListeningSocket()
    {
        var before = TcpListenInodesOfThisProcess();

        var supervisor = Start(Systems.Supervisor(_directory.Path));
        var worker = Start(Systems.Worker(_directory.Path, 1));
        supervisor.ActorOf(Props.Create(() => new EchoActor(0)), "echo");
        await worker.ActorSelection("akka.unix://sozu@supervisor:1/user/echo").Ask<WorkerResponse>(SampleMessages.Request(), AskTimeout);

        var after = TcpListenInodesOfThisProcess();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Tell_ThreeMegabyteMessage_Arrives_AndAnOversizedOneIsDroppedWithoutBreakingTheAssociation()
    {
        var supervisor = Start(Systems.Supervisor(_directory.Path));
        var worker = Start(Systems.Worker(_directory.Path, 1));
        supervisor.ActorOf(Props.Create(() => new EchoActor(0)), "echo");
        var echo = worker.ActorSelection("akka.unix://sozu@supervisor:1/user/echo");
        var big = new WorkerRequest("big", new AddHttpFrontend(SampleMessages.Frontend() with { Hostname = new string('a', 3_000_000) }));
        var huge = new WorkerRequest("huge", new AddHttpFrontend(SampleMessages.Frontend() with { Hostname = new string('b', 5_000_000) }));

        var bigAnswer = await echo.Ask<WorkerResponse>(big, TimeSpan.FromSeconds(20));
        Assert.Equal(EchoActor.ExpectedAnswer(big, 0), bigAnswer);

        await Assert.ThrowsAsync<AskTimeoutException>(() => echo.Ask<WorkerResponse>(huge, TimeSpan.FromSeconds(2)));
        var small = SampleMessages.Request(9);
        Assert.Equal(EchoActor.ExpectedAnswer(small, 0), await echo.Ask<WorkerResponse>(small, AskTimeout));
    }

    private ActorSystem Start(ActorSystem system)
    {
        _systems.Add(system);
        return system;
    }

    /// <summary>Announces an echo actor of the worker to the supervisor's registry until it arrives (bounded).</summary>
    private static async Task<PeerAnnouncement> Announce(ActorSystem worker, ChannelReader<object> events)
    {
        var echo = worker.ActorOf(Props.Create(() => new EchoActor(1)), "echo");
        var registry = worker.ActorSelection("akka.unix://sozu@supervisor:1/user/registry");
        for (var attempt = 0; attempt < 40; attempt++)
        {
            registry.Tell(new PeerAnnouncement("worker", SozuHocon.WorkerSlot(1), echo));
            try
            {
                return await NextAsync<PeerAnnouncement>(events, TimeSpan.FromMilliseconds(500));
            }
            catch (TimeoutException)
            {
                // The supervisor may still gate the slot's address for retry-gate-closed-for.
            }
        }
        throw new TimeoutException("The worker's announcement never reached the supervisor.");
    }

    private static async Task<T> NextAsync<T>(ChannelReader<object> events, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (await events.ReadAsync(cancel.Token) is T match)
                {
                    return match;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} within {timeout}.");
        }
    }

    private static string AllMessages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }
        return string.Join(" | ", messages);
    }

    /// <summary>Inodes of this process's sockets that /proc/net/tcp{,6} lists in state LISTEN (0A).</summary>
    private static HashSet<string> TcpListenInodesOfThisProcess()
    {
        var ours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                ours.Add(target["socket:[".Length..^1]);
            }
        }
        var listening = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && ours.Contains(fields[9]))
                {
                    listening.Add(fields[9]);
                }
            }
        }
        return listening;
    }
}

/// <summary>Tests that look at every socket of the test process: run when no other test runs.</summary>
[CollectionDefinition(nameof(ProcessWideSockets), DisableParallelization = true)]
public sealed class ProcessWideSockets;
