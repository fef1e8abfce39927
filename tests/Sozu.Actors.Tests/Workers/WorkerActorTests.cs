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
using Sozu.Messages.State;
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

    // These listeners keep a port chosen before binding (FreePort), not port 0: a SyncState is
    // validated as a ConfigState, which refuses port 0 (an address is a listener's identity in the
    // state, as in the TOML), so the worker only ever binds a real port here.
    private static ValueList<ConfigRequest> ListenerState(string address) => ValueList<ConfigRequest>.From(
    [
        new AddHttpListener(new HttpListenerConfig { Address = address }),
        new ActivateListener(address, ListenerProtocol.Http),
    ]);

    private static ValueList<ConfigRequest> Changes(params ConfigRequest[] requests) => ValueList<ConfigRequest>.From(requests);

    private static AddBackend Backend(string cluster, string id) =>
        new(new Backend { ClusterId = cluster, BackendId = id, Address = "127.0.0.1:9" });

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
    public void ApplyChanges_AllValid_AreAppliedInOrderAndConfirmedOnce()
    {
        var worker = StartWorker();

        worker.Tell(new ApplyChanges(1, Changes(new AddCluster(new Cluster { ClusterId = "app" }), Backend("app", "b0"), Backend("app", "b1"))));

        Assert.Equal(new ChangesApplied(1, 7, 3), ExpectMsg<ChangesApplied>());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void ApplyChanges_ARefusedRequest_StopsTheChangeThereAndSaysHowManyWereApplied()
    {
        var worker = StartWorker();

        worker.Tell(new ApplyChanges(1, Changes(new AddCluster(new Cluster { ClusterId = "app" }), Backend("missing", "b"), new AddCluster(new Cluster { ClusterId = "after" }))));

        var refused = ExpectMsg<ChangesApplied>();
        Assert.Equal((1L, 7, 1), (refused.Version, refused.WorkerId, refused.Applied));
        Assert.Contains("missing", refused.Error, StringComparison.Ordinal);
        // "app" is in force, "after" is not: a backend of app is taken, one of after is refused.
        worker.Tell(new ApplyChanges(2, Changes(Backend("app", "b0"))));
        Assert.Equal(new ChangesApplied(2, 7, 1), ExpectMsg<ChangesApplied>());
        worker.Tell(new ApplyChanges(3, Changes(Backend("after", "b0"))));
        Assert.NotNull(ExpectMsg<ChangesApplied>().Error);
    }

    [Fact]
    public void ApplyChanges_InParts_AreAppliedAsTheyArriveAndConfirmedOnceAfterTheLast()
    {
        var worker = StartWorker();

        worker.Tell(new ApplyChanges(5, Changes(new AddCluster(new Cluster { ClusterId = "app" })), Part: 0, Parts: 2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        worker.Tell(new ApplyChanges(5, Changes(Backend("app", "b0"), Backend("app", "b1")), Part: 1, Parts: 2));

        Assert.Equal(new ChangesApplied(5, 7, 3), ExpectMsg<ChangesApplied>());
    }

    [Fact]
    public void ApplyChanges_APartOutOfSequence_IsRefusedAndTheRestOfThatChangeIgnored()
    {
        var worker = StartWorker();

        worker.Tell(new ApplyChanges(5, Changes(new AddCluster(new Cluster { ClusterId = "app" })), Part: 1, Parts: 3));

        var refused = ExpectMsg<ChangesApplied>();
        Assert.Equal(0, refused.Applied);
        Assert.Contains("out of order", refused.Error, StringComparison.Ordinal);
        worker.Tell(new ApplyChanges(5, Changes(Backend("app", "b0")), Part: 2, Parts: 3));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void SyncState_LargerThanTheRemotingFrame_ArrivesInPartsUnderTheLimitAndIsAppliedOnceComplete()
    {
        // 25,000 clusters, each with a frontend on one listener and two backends: as one message
        // (about 5.1 MB), more than the 4 MiB maximum-frame-size of the shipped HOCON.
        const int FrameLimit = 4 * 1024 * 1024;
        var address = FreePort.Address();
        var requests = new List<ConfigRequest>(ListenerState(address));
        for (var i = 0; i < 25_000; i++)
        {
            var id = "cluster-" + i;
            requests.Add(new AddCluster(new Cluster { ClusterId = id }));
            requests.Add(new AddHttpFrontend(new HttpFrontend { ClusterId = id, Address = address, Hostname = $"host-{i}.example.com" }));
            requests.Add(Backend(id, "b0"));
            requests.Add(Backend(id, "b1"));
        }
        var state = ConfigState.Empty.ApplyAll(requests);
        Assert.True(state.IsOk, state.Error);
        var serializer = Sys.Serialization.FindSerializerForType(typeof(SyncState));
        var whole = serializer.ToBinary(new SyncState("whole", ValueList<ConfigRequest>.From(state.State.ToRequests())));
        Assert.True(whole.Length > FrameLimit, $"the whole state takes {whole.Length} bytes: the test needs more than a frame");

        var collector = CreateTestProbe();
        var count = StateSync.Send(collector.Ref, "big", state.State, TestActor);
        var worker = StartWorker();
        for (var i = 0; i < count; i++)
        {
            var part = collector.ExpectMsg<SyncState>();
            Assert.Equal(("big", i, count), (part.Id, part.Part, part.Parts));
            // Through the wire format, as remoting sends it, and under the frame limit.
            var bytes = serializer.ToBinary(part);
            Assert.True(bytes.Length < FrameLimit, $"part {i} takes {bytes.Length} bytes");
            worker.Tell(serializer.FromBinary<SyncState>(bytes));
            if (i < count - 1)
            {
                ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // nothing applied, nothing answered before the last part
            }
        }
        Assert.True(count > 1);
        _output.WriteLine($"{requests.Count} requests: {whole.Length} bytes as one SyncState, {count} parts");

        var response = ExpectMsg<WorkerResponse>(TimeSpan.FromSeconds(60));
        Assert.Equal(("big", AnswerStatus.Ok, ""), (response.Id, response.Status, response.Message));
        // The whole state is in force: one more backend on the last cluster is taken.
        worker.Tell(new ApplyChanges(1, Changes(Backend("cluster-24999", "b2"))));
        Assert.Null(ExpectMsg<ChangesApplied>(TimeSpan.FromSeconds(10)).Error);
        worker.Tell(new QueryListenerPort(address));
        Assert.True(ExpectMsg<int>() > 0);
    }

    [Fact]
    public void SyncState_PartOutOfSequence_IsRefusedAndNothingApplied()
    {
        var worker = StartWorker();

        worker.Tell(new SyncState("s", ListenerState(FreePort.Address()), Part: 1, Parts: 2));

        var refused = ExpectMsg<WorkerResponse>();
        Assert.Equal(AnswerStatus.Error, refused.Status);
        Assert.Contains("out of order", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Starting_WelcomedByANewSupervisor_SaysItIsNotServingYet_ThenServingOnceItHasTheState()
    {
        var worker = StartWorker();
        var first = CreateTestProbe();
        first.Send(worker, new WorkerWelcome(7));
        Assert.False(first.ExpectMsg<WorkerHello>().Serving);

        worker.Tell(new SyncState("s1", ListenerState(FreePort.Address())));
        ExpectMsg<WorkerResponse>(r => Assert.Equal(AnswerStatus.Ok, r.Status));
        var second = CreateTestProbe();
        second.Send(worker, new WorkerWelcome(7));

        var hello = second.ExpectMsg<WorkerHello>();
        Assert.Equal((7, Environment.ProcessId, true), (hello.WorkerId, hello.Pid, hello.Serving));
    }

    [Fact]
    public void Standby_TakesTheStateWithListenersInactive_RefusesChanges_AndServesOnceActivated()
    {
        var worker = Sys.ActorOf(WorkerActor.Props(new WorkerActorSettings(3, new ProxyWorkerOptions { WorkerId = 3 }) { Standby = true }));
        var address = FreePort.Address();
        worker.Tell(new SyncState("s1", ListenerState(address)));
        ExpectMsg<WorkerResponse>(r => Assert.Equal(AnswerStatus.Ok, r.Status));
        worker.Tell(new QueryListenerPort(address));
        Assert.Equal(-1, ExpectMsg<int>());
        worker.Tell(new ApplyChanges(1, Changes(new AddCluster(new Cluster { ClusterId = "app" }))));
        Assert.Contains("standby", ExpectMsg<ChangesApplied>().Error, StringComparison.Ordinal);

        var slot = CreateTestProbe();
        slot.Send(worker, new ActivateStandby(3));
        var hello = slot.ExpectMsg<WorkerHello>();
        Assert.Equal((3, false), (hello.WorkerId, hello.Serving));
        // The sync its hello triggers activates the listener: only the difference is applied.
        worker.Tell(new SyncState("s2", ListenerState(address)));
        ExpectMsg<WorkerResponse>(r => Assert.Equal(AnswerStatus.Ok, r.Status));
        worker.Tell(new QueryListenerPort(address));
        Assert.True(ExpectMsg<int>() > 0);
        worker.Tell(new ApplyChanges(2, Changes(new AddCluster(new Cluster { ClusterId = "app" }))));
        Assert.Equal(new ChangesApplied(2, 3, 1), ExpectMsg<ChangesApplied>());
    }

    [Fact]
    public async Task Standby_WelcomedByAnotherSupervisor_Exits()
    {
        var worker = Sys.ActorOf(WorkerActor.Props(new WorkerActorSettings(3, new ProxyWorkerOptions { WorkerId = 3 }) { Standby = true }));
        var ours = CreateTestProbe();
        ours.Send(worker, new StandbyWelcome(3));
        ours.Send(worker, new WorkerWelcome(3)); // from its own slot: nothing happens
        worker.Tell(new WorkerPing(1));
        ExpectMsg<WorkerPong>();

        CreateTestProbe().Send(worker, new WorkerWelcome(3));

        await Sys.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10));
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
    }
}
