using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Hocon;
using Sozu.Actors.Tests.TestSupport;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;
using Sozu.Net.Worker;
using Xunit.Abstractions;

namespace Sozu.Actors.Tests.Workers;

/// <summary>
/// The WorkerActor in a local system built from hocon/worker.hocon (its pinned dispatcher and
/// eventfd mailbox), driving a real ProxyWorker with real sockets on 127.0.0.1.
/// </summary>
public sealed class WorkerActorTests : TestKit
{
    private readonly ITestOutputHelper _output;

    public WorkerActorTests(ITestOutputHelper output)
        : base(LocalWorkerConfig(), output: output)
    {
        _output = output;
    }

    private static Config LocalWorkerConfig() =>
        ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING")
            .WithFallback(SozuHocon.Load(Systems.HoconFile(SozuHocon.WorkerFile)));

    private IActorRef StartWorker(int id = 7) =>
        Sys.ActorOf(WorkerActor.Props(new WorkerActorSettings(id, new ProxyWorkerOptions { WorkerId = id })));

    private static ValueList<ConfigRequest> ListenerState(string address) => ValueList<ConfigRequest>.From(
    [
        new AddHttpListener(new HttpListenerConfig { Address = address }),
        new ActivateListener(address, ListenerProtocol.Http),
    ]);

    [Fact]
    public void SyncState_FreshWorker_AppliesTheStateAndListens()
    {
        var worker = StartWorker();
        var address = FreePort.Address();

        worker.Tell(new SyncState("s1", ListenerState(address)));

        var response = ExpectMsg<WorkerResponse>();
        Assert.Equal(("s1", 7, AnswerStatus.Ok, ""), (response.Id, response.WorkerId, response.Status, response.Message));
        worker.Tell(new QueryListenerPort(address));
        var port = ExpectMsg<int>();
        Assert.True(port > 0);
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        Assert.True(client.Connected);
    }

    [Fact]
    public void SyncState_SecondTime_AppliesOnlyTheDifference()
    {
        var worker = StartWorker();
        var address = FreePort.Address();
        worker.Tell(new SyncState("s1", ListenerState(address)));
        ExpectMsg<WorkerResponse>(r => Assert.Equal(AnswerStatus.Ok, r.Status));
        worker.Tell(new QueryListenerPort(address));
        var port = ExpectMsg<int>();

        // Same listener plus a cluster: re-adding the listener would fail, so only the cluster is applied.
        var more = ValueList<ConfigRequest>.From([.. ListenerState(address), new AddCluster(new Cluster { ClusterId = "app" })]);
        worker.Tell(new SyncState("s2", more));

        ExpectMsg<WorkerResponse>(r => Assert.Equal((AnswerStatus.Ok, ""), (r.Status, r.Message)));
        worker.Tell(new QueryListenerPort(address));
        Assert.Equal(port, ExpectMsg<int>()); // the same socket, never closed

        // And back to nothing: the listener goes.
        worker.Tell(new SyncState("s3", ValueList<ConfigRequest>.Empty));
        ExpectMsg<WorkerResponse>(r => Assert.Equal(AnswerStatus.Ok, r.Status));
        worker.Tell(new QueryListenerPort(address));
        Assert.Equal(-1, ExpectMsg<int>());
    }

    [Fact]
    public void WorkerRequest_Invalid_IsRefusedWithTheReasonAndChangesNothing()
    {
        var worker = StartWorker();

        worker.Tell(new WorkerRequest("r1", new AddBackend(new Backend { ClusterId = "missing", BackendId = "b", Address = "127.0.0.1:9" })));
        var refused = ExpectMsg<WorkerResponse>();
        worker.Tell(new WorkerRequest("r2", new AddCluster(new Cluster { ClusterId = "missing" })));
        var accepted = ExpectMsg<WorkerResponse>();

        Assert.Equal(AnswerStatus.Error, refused.Status);
        Assert.Contains("missing", refused.Message, StringComparison.Ordinal);
        Assert.Equal(AnswerStatus.Ok, accepted.Status);
    }

    [Fact]
    public void WorkerRequest_NotAConfigurationRequest_IsRefused()
    {
        var worker = StartWorker();

        worker.Tell(new WorkerRequest("r1", new ListWorkers()));

        var response = ExpectMsg<WorkerResponse>();
        Assert.Equal(AnswerStatus.Error, response.Status);
        Assert.Contains("list_workers", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopWorker_Soft_StopsTheLoopAndTheSystem()
    {
        var worker = StartWorker();
        worker.Tell(new SyncState("s1", ListenerState(FreePort.Address())));
        ExpectMsg<WorkerResponse>(r => Assert.Equal(AnswerStatus.Ok, r.Status));

        worker.Tell(new StopWorker(Hard: false));

        await Sys.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_fault_in_the_loop_actor_stops_the_system_with_the_fault_exit_code_instead_of_restarting_it()
    {
        // Options the supervisor would never send (it validates them): ProxyWorker.Create throws.
        var broken = new WorkerActorSettings(9, new ProxyWorkerOptions { WorkerId = 9, MaxConnections = 0 });
        try
        {
            var worker = Sys.ActorOf(WorkerActor.Props(broken));
            Watch(worker);

            ExpectTerminated(worker);
            await Sys.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(WorkerActor.FaultExitCode, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = 0; // this is the test host's exit code
        }
    }

    /// <summary>
    /// A measurement, not a timed assertion: the round trip of a ping while the loop sleeps in
    /// epoll_wait (100 ms slices), through the eventfd wake-up. Results in docs/control-plane.md.
    /// </summary>
    [Fact]
    public void Ping_WhileTheLoopSleeps_IsAnsweredFromTheLoopThread_Measured()
    {
        var worker = StartWorker();
        const int Warmup = 1000;
        const int Count = 10_000;
        var samples = new double[Count];
        var probe = CreateTestProbe();
        for (var i = -Warmup; i < Count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            probe.Send(worker, new WorkerPing(i));
            probe.ExpectMsg<WorkerPong>(TimeSpan.FromSeconds(5));
            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }
        }
        Array.Sort(samples);
        var median = samples[Count / 2];
        var p99 = samples[(int)(Count * 0.99)];
        _output.WriteLine($"ping round trip through the sleeping loop, {Count} pings: median {median:0.0} µs, p90 {samples[(int)(Count * 0.9)]:0.0} µs, p99 {p99:0.0} µs, max {samples[^1]:0.0} µs");
        // Sanity, far above any plausible value: a ping waiting for the end of a 100 ms slice would show.
        Assert.True(median < 50_000, $"median {median} µs: the loop is not woken by the mailbox");
    }
}
