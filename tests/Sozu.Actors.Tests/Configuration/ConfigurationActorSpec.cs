using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Configuration;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.Configuration;

/// <summary>The ConfigurationActor with TestProbes standing in for worker actors and their slots.</summary>
// set_logging moves the process-wide log level (LogLevelControl): never beside another test that reads or moves it.
[Collection(nameof(Sozu.Actors.Tests.Logging.GlobalSerilog))]
public sealed class ConfigurationActorSpec : TestKit
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    private static AddCluster Cluster(string id) => new(new Cluster { ClusterId = id });

    private static AddBackend Backend(string cluster, string id) =>
        new(new Backend { ClusterId = cluster, BackendId = id, Address = "127.0.0.1:9001" });

    private IActorRef Start(ConfigurationSettings? settings = null) =>
        Sys.ActorOf(ConfigurationActor.Props(ConfigState.Empty, settings));

    /// <summary>Registers a worker probe through a slot probe and confirms its first sync.</summary>
    private (TestProbe Worker, TestProbe Slot) Join(IActorRef configuration, int id)
    {
        var worker = CreateTestProbe();
        var slot = CreateTestProbe();
        configuration.Tell(new WorkerJoined(id, 1000 + id, worker.Ref), slot.Ref);
        var sync = worker.ExpectMsg<SyncState>();
        worker.Reply(new WorkerResponse(sync.Id, id, AnswerStatus.Ok));
        slot.ExpectMsg<WorkerReady>(r => Assert.Equal(id, r.WorkerId));
        return (worker, slot);
    }

    /// <summary>Expects one change at <paramref name="worker"/> and answers it: all applied, or refused at its first request.</summary>
    private static ApplyChanges Confirm(TestProbe worker, int id, AnswerStatus status = AnswerStatus.Ok, string message = "")
    {
        var change = worker.ExpectMsg<ApplyChanges>();
        worker.Reply(status == AnswerStatus.Ok
            ? new ChangesApplied(change.Version, id, change.Requests.Count)
            : new ChangesApplied(change.Version, id, 0, message));
        return change;
    }

    private ConfigState CurrentState(IActorRef configuration)
    {
        configuration.Tell(GetState.Instance, TestActor);
        return ExpectMsg<CurrentState>().State;
    }

    [Fact]
    public void Every_worker_gets_the_same_ticket_keys_with_its_sync_and_the_standby_state_carries_them()
    {
        var configuration = Start();
        var w0 = CreateTestProbe();
        var w1 = CreateTestProbe();
        configuration.Tell(new WorkerJoined(0, 1000, w0.Ref), CreateTestProbe().Ref);
        configuration.Tell(new WorkerJoined(1, 1001, w1.Ref), CreateTestProbe().Ref);
        var keys0 = w0.ExpectMsg<SyncState>().TicketKeys;
        var keys1 = w1.ExpectMsg<SyncState>().TicketKeys;
        Assert.NotNull(keys0);
        Assert.Null(keys0.FindViolation());
        Assert.Equal(keys0, keys1);
        configuration.Tell(GetState.Instance, TestActor);
        Assert.Equal(keys0, ExpectMsg<CurrentState>().TicketKeys);
    }

    [Fact]
    public void Ticket_keys_rotate_on_schedule_to_every_worker_and_slot_keeping_the_previous_key()
    {
        var configuration = Start(ConfigurationSettings.Default with { TicketKeyRotation = TimeSpan.FromMilliseconds(400) });
        var worker = CreateTestProbe();
        var slot = CreateTestProbe();
        configuration.Tell(new WorkerJoined(0, 1000, worker.Ref), slot.Ref);
        var sync = worker.ExpectMsg<SyncState>();
        worker.Reply(new WorkerResponse(sync.Id, 0, AnswerStatus.Ok));
        slot.ExpectMsg<WorkerReady>();

        var first = worker.ExpectMsg<SetTicketKeys>(TimeSpan.FromSeconds(5)).Keys;
        Assert.Equal(sync.TicketKeys!.Current, first.Previous);
        Assert.NotEqual(sync.TicketKeys.Current, first.Current);
        // The slot forwards them to its standby.
        Assert.Equal(first, slot.ExpectMsg<SetTicketKeys>().Keys);
        var second = worker.ExpectMsg<SetTicketKeys>(TimeSpan.FromSeconds(5)).Keys;
        Assert.Equal(first.Current, second.Previous);
        // A worker that joins later gets the keys of now.
        var late = CreateTestProbe();
        configuration.Tell(new WorkerJoined(1, 1001, late.Ref), CreateTestProbe().Ref);
        var lateKeys = late.ExpectMsg<SyncState>().TicketKeys!;
        Assert.True(lateKeys == second || lateKeys.Previous == second.Current, "a late worker gets the current keys");
    }

    [Fact]
    public void A_change_confirmed_by_every_worker_is_answered_processing_then_ok_and_committed()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        var (w1, _) = Join(configuration, 1);

        configuration.Tell(new ExecuteRequest("1", Cluster("app")));

        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        Confirm(w0, 0);
        ExpectNoMsg(Short); // one worker is not enough
        Confirm(w1, 1);
        ExpectMsg<Answer>(a => Assert.Equal((AnswerStatus.Ok, "1"), (a.Status, a.Id)));
        Assert.True(CurrentState(configuration).Clusters.ContainsKey("app"));
    }

    [Fact]
    public void An_invalid_change_is_refused_and_nothing_is_sent_to_the_workers()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);

        configuration.Tell(new ExecuteRequest("bad", Backend("missing", "b0")));

        var answer = ExpectMsg<Answer>();
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Contains("missing", answer.Message, StringComparison.Ordinal);
        w0.ExpectNoMsg(Short);
        Assert.Equal(0, CurrentState(configuration).ClusterCount);
    }

    [Fact]
    public void Changes_arriving_while_one_is_out_go_together_as_the_next_each_answered_in_order()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);

        configuration.Tell(new ExecuteRequest("first", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(("first", AnswerStatus.Processing), (a.Id, a.Status)));
        var first = w0.ExpectMsg<ApplyChanges>();
        Assert.IsType<AddCluster>(Assert.Single(first.Requests));
        var configurationRef = w0.LastSender;
        configuration.Tell(new ExecuteRequest("second", Backend("app", "b0")));
        configuration.Tell(new ExecuteRequest("refused", Backend("nowhere", "b1")));
        configuration.Tell(new ExecuteRequest("third", Backend("app", "b2")));
        w0.ExpectNoMsg(Short); // they wait for the first, which they depend on
        configurationRef.Tell(new ChangesApplied(first.Version, 0, 1), w0.Ref);
        ExpectMsg<Answer>(a => Assert.Equal(("first", AnswerStatus.Ok), (a.Id, a.Status)));

        // One message for the three, validated in order: the refused one is not sent.
        var next = w0.ExpectMsg<ApplyChanges>();
        Assert.True(next.Version > first.Version);
        Assert.Equal(["b0", "b2"], next.Requests.Select(r => ((AddBackend)r).Backend.BackendId));
        ExpectMsg<Answer>(a => Assert.Equal(("second", AnswerStatus.Processing), (a.Id, a.Status)));
        ExpectMsg<Answer>(a => Assert.Equal(("third", AnswerStatus.Processing), (a.Id, a.Status)));
        w0.Reply(new ChangesApplied(next.Version, 0, 2));
        ExpectMsg<Answer>(a => Assert.Equal(("second", AnswerStatus.Ok), (a.Id, a.Status)));
        ExpectMsg<Answer>(a => Assert.Equal(("refused", AnswerStatus.Error), (a.Id, a.Status)));
        ExpectMsg<Answer>(a => Assert.Equal(("third", AnswerStatus.Ok), (a.Id, a.Status)));
        Assert.Equal(2, CurrentState(configuration).BackendCount);
    }

    [Fact]
    public void A_refusal_in_the_middle_of_a_change_commits_the_commands_before_it_and_validates_those_after_again()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        var (w1, _) = Join(configuration, 1);
        configuration.Tell(new ExecuteRequest("hold", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        var hold0 = w0.ExpectMsg<ApplyChanges>();
        var hold1 = w1.ExpectMsg<ApplyChanges>();
        configuration.Tell(new ExecuteRequest("a", Backend("app", "a")));
        configuration.Tell(new ExecuteRequest("b", Backend("app", "b")));
        configuration.Tell(new ExecuteRequest("c", Backend("app", "c")));
        w0.Reply(new ChangesApplied(hold0.Version, 0, 1));
        w1.Reply(new ChangesApplied(hold1.Version, 1, 1));
        ExpectMsg<Answer>(a => Assert.Equal(("hold", AnswerStatus.Ok), (a.Id, a.Status)));
        var batch0 = w0.ExpectMsg<ApplyChanges>();
        var batch1 = w1.ExpectMsg<ApplyChanges>();
        Assert.Equal(3, batch0.Requests.Count);
        for (var i = 0; i < 3; i++)
        {
            ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        }

        // Worker 0 applies all three; worker 1 refuses "b" (its request number 1).
        w0.Reply(new ChangesApplied(batch0.Version, 0, 3));
        w1.Reply(new ChangesApplied(batch1.Version, 1, 1, "AddBackend: no memory"));

        ExpectMsg<Answer>(a => Assert.Equal(("a", AnswerStatus.Ok), (a.Id, a.Status)));
        var refused = ExpectMsg<Answer>();
        Assert.Equal(("b", AnswerStatus.Error), (refused.Id, refused.Status));
        Assert.Contains("worker 1 refused: AddBackend: no memory", refused.Message, StringComparison.Ordinal);
        // "c" was checked against a state with "b": it is validated again on the committed
        // state, and (both workers being rolled back meanwhile) committed for them to catch up.
        ExpectMsg<Answer>(a => Assert.Equal(("c", AnswerStatus.Ok), (a.Id, a.Status)));
        Assert.Equal(["a", "c"], CurrentState(configuration).BackendsOf("app").Values.Select(b => b.BackendId));
        // Both are brought back to the state without "b", then brought up to the one with "c".
        foreach (var (worker, id) in new[] { (w0, 0), (w1, 1) })
        {
            var rollBack = worker.ExpectMsg<SyncState>();
            Assert.Equal(["a"], rollBack.Requests.OfType<AddBackend>().Select(r => r.Backend.BackendId));
            worker.Reply(new WorkerResponse(rollBack.Id, id, AnswerStatus.Ok));
            var catchUp = worker.ExpectMsg<SyncState>();
            Assert.Equal(["a", "c"], catchUp.Requests.OfType<AddBackend>().Select(r => r.Backend.BackendId));
        }
    }

    [Fact]
    public void A_change_larger_than_a_frame_travels_in_parts_of_one_version_confirmed_once()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        // 5,000 clusters: about 1.3 MB by the chunks' estimate, more than one piece.
        var requests = new List<ConfigRequest>();
        for (var i = 0; i < 5000; i++)
        {
            requests.Add(Cluster("c" + i));
        }
        var batch = Sozu.Messages.Collections.ValueList<ConfigRequest>.From(requests);

        configuration.Tell(new ExecuteRequest("big", new ApplyChangeBatch(batch)));

        var parts = new List<ApplyChanges>();
        do
        {
            parts.Add(w0.ExpectMsg<ApplyChanges>());
        }
        while (parts[^1].Part < parts[^1].Parts - 1);
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.Equal(parts[0].Version, p.Version));
        Assert.Equal(requests, parts.SelectMany(p => p.Requests));
        w0.Reply(new ChangesApplied(parts[0].Version, 0, requests.Count));
        FishForMessage<Answer>(a => a.Status != AnswerStatus.Processing);
    }

    [Fact]
    public void A_worker_refusing_gives_an_error_naming_it_the_state_stays_and_the_other_worker_is_rolled_back()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        var (w1, _) = Join(configuration, 1);

        configuration.Tell(new ExecuteRequest("1", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        Confirm(w0, 0);
        Confirm(w1, 1, AnswerStatus.Error, "out of memory");

        var answer = ExpectMsg<Answer>();
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Contains("worker 1 refused: out of memory", answer.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("worker 0", answer.Message, StringComparison.Ordinal);
        Assert.Equal(0, CurrentState(configuration).ClusterCount);
        // Both are brought back to the committed (empty) state.
        Assert.Empty(w0.ExpectMsg<SyncState>().Requests);
        Assert.Empty(w1.ExpectMsg<SyncState>().Requests);
    }

    [Fact]
    public void A_worker_joining_while_a_change_is_in_flight_is_caught_up_before_it_counts()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        configuration.Tell(new ExecuteRequest("1", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        var inFlight = w0.ExpectMsg<ApplyChanges>();

        // Worker 1 restarts in the middle: it gets the committed state, without "app".
        var w1 = CreateTestProbe();
        var slot1 = CreateTestProbe();
        configuration.Tell(new WorkerJoined(1, 2001, w1.Ref), slot1.Ref);
        var firstSync = w1.ExpectMsg<SyncState>();
        Assert.Empty(firstSync.Requests);

        w0.Reply(new ChangesApplied(inFlight.Version, 0, 1));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Ok, a.Status));

        // Its first sync is now stale: confirmed, then a second one carries the change.
        w1.Reply(new WorkerResponse(firstSync.Id, 1, AnswerStatus.Ok));
        var secondSync = w1.ExpectMsg<SyncState>();
        Assert.Contains(secondSync.Requests, r => r is AddCluster { Cluster.ClusterId: "app" });
        slot1.ExpectNoMsg(Short); // not ready before it has the current state
        w1.Reply(new WorkerResponse(secondSync.Id, 1, AnswerStatus.Ok));
        slot1.ExpectMsg<WorkerReady>();

        // From now on it takes part in changes.
        configuration.Tell(new ExecuteRequest("2", Backend("app", "b0")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        Confirm(w0, 0);
        Confirm(w1, 1);
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Ok, a.Status));
    }

    [Fact]
    public void A_worker_leaving_mid_change_does_not_block_it()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        var (w1, _) = Join(configuration, 1);
        configuration.Tell(new ExecuteRequest("1", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        Confirm(w0, 0);
        w1.ExpectMsg<ApplyChanges>();

        configuration.Tell(new WorkerLeft(1, w1.Ref));

        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Ok, a.Status));
    }

    [Fact]
    public void A_silent_worker_times_the_change_out_and_is_restarted()
    {
        var configuration = Start(new ConfigurationSettings { RequestTimeout = TimeSpan.FromMilliseconds(400) });
        var (w0, _) = Join(configuration, 0);
        var (w1, slot1) = Join(configuration, 1);
        configuration.Tell(new ExecuteRequest("1", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        Confirm(w0, 0);
        w1.ExpectMsg<ApplyChanges>(); // and never answers

        var answer = ExpectMsg<Answer>(TimeSpan.FromSeconds(3));
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Contains("worker 1 did not answer", answer.Message, StringComparison.Ordinal);
        slot1.ExpectMsg<RestartWorker>(r => Assert.Equal(1, r.WorkerId));
        Assert.Equal(0, CurrentState(configuration).ClusterCount);
    }

    [Fact]
    public void Without_workers_a_valid_change_is_committed_for_the_workers_to_come()
    {
        var configuration = Start();
        configuration.Tell(new ExecuteRequest("1", Cluster("app")));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Ok, a.Status));

        var worker = CreateTestProbe();
        configuration.Tell(new WorkerJoined(0, 1, worker.Ref), CreateTestProbe().Ref);
        Assert.Contains(worker.ExpectMsg<SyncState>().Requests, r => r is AddCluster);
    }

    [Fact]
    public void List_workers_reports_each_registered_worker_with_its_pid_and_state()
    {
        var configuration = Start();
        Join(configuration, 0);
        var starting = CreateTestProbe();
        configuration.Tell(new WorkerJoined(1, 4242, starting.Ref), CreateTestProbe().Ref);
        starting.ExpectMsg<SyncState>();

        configuration.Tell(new ExecuteRequest("w", new ListWorkers()));

        var workers = Assert.IsType<WorkersContent>(ExpectMsg<Answer>().Content).Workers;
        Assert.Equal([new WorkerInfo(0, 1000, "running"), new WorkerInfo(1, 4242, "starting")], workers);
    }

    [Fact]
    public void List_workers_waits_while_slots_probe_workers_to_adopt_and_lists_them_once_registered()
    {
        var configuration = Start();
        var slot0 = CreateTestProbe();
        var slot1 = CreateTestProbe();
        configuration.Tell(new SlotStarted(0), slot0.Ref);
        configuration.Tell(new SlotAdopting(0), slot0.Ref);
        configuration.Tell(new SlotStarted(1), slot1.Ref);
        configuration.Tell(new SlotAdopting(1), slot1.Ref);

        configuration.Tell(new ExecuteRequest("w", new ListWorkers()));
        ExpectNoMsg(Short); // not an empty list while the adopted workers serve

        var worker0 = CreateTestProbe();
        configuration.Tell(new WorkerJoined(0, 1000, worker0.Ref), slot0.Ref);
        ExpectNoMsg(Short); // slot 1 still probing
        configuration.Tell(new AdoptionOver(1), slot1.Ref); // its probe found nobody

        var workers = Assert.IsType<WorkersContent>(ExpectMsg<Answer>().Content).Workers;
        Assert.Equal([0], workers.Select(w => w.Id));
        Assert.Equal(1000, workers[0].Pid);
        // Settled: answered at once from now on.
        configuration.Tell(new ExecuteRequest("w2", new ListWorkers()));
        Assert.Equal("w2", ExpectMsg<Answer>().Id);
    }

    [Fact]
    public void A_soft_stop_stops_every_slot_and_answers_once_they_have_stopped()
    {
        var configuration = Start(new ConfigurationSettings { ShutdownDelay = TimeSpan.FromSeconds(30) });
        var slot0 = CreateTestProbe();
        var slot1 = CreateTestProbe();
        configuration.Tell(new SlotStarted(0), slot0.Ref);
        configuration.Tell(new SlotStarted(1), slot1.Ref);

        configuration.Tell(new ExecuteRequest("stop", new SoftStop()));

        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Processing, a.Status));
        slot0.ExpectMsg<StopSlot>(s => Assert.False(s.Hard));
        slot1.ExpectMsg<StopSlot>(s => Assert.False(s.Hard));
        configuration.Tell(new SlotsStopped(0));
        ExpectNoMsg(Short);
        configuration.Tell(new SlotsStopped(1));
        ExpectMsg<Answer>(a => Assert.Equal(AnswerStatus.Ok, a.Status));
    }

    [Fact]
    public void Status_joins_the_supervisors_part_with_what_each_worker_reports()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        var silent = CreateTestProbe();
        configuration.Tell(new WorkerJoined(1, 4242, silent.Ref), CreateTestProbe().Ref);
        silent.ExpectMsg<SyncState>();

        configuration.Tell(new ExecuteRequest("s", new Sozu.Messages.Requests.Status()));

        w0.ExpectMsg<QueryWorkerStatus>();
        w0.Reply(new WorkerStatusReport(0, 1000, 17, 3));
        silent.ExpectMsg<QueryWorkerStatus>(); // and never answers
        var answer = ExpectMsg<Answer>(StatusGatherJob.Timeout + TimeSpan.FromSeconds(3));
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        var status = Assert.IsType<StatusContent>(answer.Content);
        Assert.Equal(Environment.ProcessId, status.SupervisorPid);
        Assert.Equal("running", status.State);
        Assert.InRange(status.UptimeSeconds, 0, 600);
        Assert.Equal([new WorkerStatus(0, 1000, "running", 3, 17), new WorkerStatus(1, 4242, "starting")], status.Workers);
        Assert.Contains("1 did not answer", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetLogging_reaches_every_worker_and_a_worker_joining_later_syncs_at_that_level()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        try
        {
            configuration.Tell(new ExecuteRequest("l", new SetLogging("debug")));

            Assert.Equal("debug", w0.ExpectMsg<SetWorkerLogLevel>().Level);
            // Answered only once the worker confirmed: after ok, the worker logs at that level.
            ExpectNoMsg(TimeSpan.FromMilliseconds(200));
            w0.Reply(new WorkerLogLevelSet(0, "debug"));
            var answer = ExpectMsg<Answer>();
            Assert.Equal(AnswerStatus.Ok, answer.Status);
            Assert.Equal("log level set to debug in the supervisor and 1 worker(s)", answer.Message);
            var later = CreateTestProbe();
            configuration.Tell(new WorkerJoined(1, 4242, later.Ref), CreateTestProbe().Ref);
            Assert.Equal("debug", later.ExpectMsg<SyncState>().LogLevel);
        }
        finally
        {
            configuration.Tell(new ExecuteRequest("reset", new SetLogging("info")));
        }
    }

    [Fact]
    public void SetLogging_names_a_worker_that_does_not_confirm_and_still_answers_within_the_gather_timeout()
    {
        var configuration = Start();
        var (w0, _) = Join(configuration, 0);
        var (w1, _) = Join(configuration, 1);
        try
        {
            configuration.Tell(new ExecuteRequest("l", new SetLogging("debug")));
            w0.ExpectMsg<SetWorkerLogLevel>();
            w0.Reply(new WorkerLogLevelSet(0, "debug"));
            w1.ExpectMsg<SetWorkerLogLevel>(); // and never answers
            var answer = ExpectMsg<Answer>(WorkerGatherJob<WorkerLogLevelSet>.Timeout + TimeSpan.FromSeconds(3));
            Assert.Equal(AnswerStatus.Ok, answer.Status);
            Assert.Contains("1 of 2 worker(s); 1 did not confirm in time", answer.Message, StringComparison.Ordinal);
        }
        finally
        {
            configuration.Tell(new ExecuteRequest("reset", new SetLogging("info")));
        }
    }
}
