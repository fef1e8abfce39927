using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Akka.Actor;
using Sozu.Actors.Remoting;
using Sozu.Actors.Tests.TestSupport;
using Sozu.Messages.Workers;
using Xunit.Abstractions;

namespace Sozu.Actors.Tests.Remoting;

/// <summary>The supervisor in this process, a worker-like peer in a child process, over the Unix transport.</summary>
public sealed class CrossProcessRemotingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A child's start-up is mostly `dotnet` booting; on 2 shared cores it can take seconds.</summary>
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly TempSocketDirectory _directory = new();
    private readonly List<Process> _children = [];
    private ActorSystem? _supervisor;

    public void Dispose()
    {
        foreach (var child in _children)
        {
            if (!child.HasExited)
            {
                child.Kill();
                child.WaitForExit(10_000);
            }
            child.Dispose();
        }
        _supervisor?.Terminate().Wait(TimeSpan.FromSeconds(15));
        _directory.Dispose();
    }

    [Fact]
    public async Task KilledWorkerProcess_IsSeenTerminated_ARestartOnTheSameSlotAnswers_AndItExitsWhenTheSupervisorStops()
    {
        _supervisor = Systems.Supervisor(_directory.Path);
        var events = Channel.CreateUnbounded<object>();
        _supervisor.ActorOf(Props.Create(() => new RegistryActor(events.Writer)), "registry");

        var first = StartPeer(workerId: 1);
        var firstPeer = await NextAsync<PeerAnnouncement>(events.Reader, StartupTimeout);
        Assert.Equal("akka.unix://sozu@worker:101", firstPeer.Actor.Path.Address.ToString());
        var answer = await firstPeer.Actor.Ask<WorkerResponse>(SampleMessages.Request(1), AskTimeout);
        Assert.Equal(first.Id.ToString(CultureInfo.InvariantCulture), answer.Message);

        var clock = Stopwatch.StartNew();
        first.Kill();
        var terminated = await NextAsync<Terminated>(events.Reader, TimeSpan.FromSeconds(30));
        output.WriteLine($"SIGKILL to Terminated: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(firstPeer.Actor, terminated.ActorRef);
        // The 30 s wait above is the bound: how fast DeathWatch fires is a measurement (printed above,
        // about 2-3 s on a quiet machine), not an assertion; it took 10.5-10.9 s at load average ~30.

        clock.Restart();
        var second = StartPeer(workerId: 1);
        var secondPeer = await NextAsync<PeerAnnouncement>(events.Reader, StartupTimeout);
        output.WriteLine($"Restart to announcement: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(firstPeer.Actor.Path.Address, secondPeer.Actor.Path.Address);
        var secondAnswer = await secondPeer.Actor.Ask<WorkerResponse>(SampleMessages.Request(2), AskTimeout);
        Assert.Equal(second.Id.ToString(CultureInfo.InvariantCulture), secondAnswer.Message);

        clock.Restart();
        await _supervisor.Terminate().WaitAsync(TimeSpan.FromSeconds(15));
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await second.WaitForExitAsync(exit.Token);
        output.WriteLine($"Supervisor stop to worker exit: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(0, second.ExitCode);
    }

    private Process StartPeer(int workerId)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sozu.Actors.Tests.Peer.dll"));
        start.ArgumentList.Add(Systems.HoconFile("worker.hocon"));
        start.ArgumentList.Add(_directory.Path);
        start.ArgumentList.Add(workerId.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("The peer process did not start.");
        _children.Add(process);
        return process;
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
}
