using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Events;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>
/// The slot supervisor driven without processes (<see cref="ScriptedLauncher"/>) and without
/// waiting: timers run on Akka's TestScheduler, moved by <see cref="Advance"/>, and the slot's
/// clock is the scheduler's. Absence is checked after a round trip through the slot's mailbox
/// (<see cref="Sync"/>), never by sleeping: what the slot sent before answering is already queued.
/// </summary>
public abstract class SlotSpec : TestKit
{
    protected static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    protected static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(1600);

    protected SlotSpec()
        : base(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\""))
    {
        Processes = CreateTestProbe();
        Configuration = CreateTestProbe();
        Transitions = CreateTestProbe();
        Restarts = CreateTestProbe();
        Crashes = CreateTestProbe();
        Launcher = new ScriptedLauncher(Processes.Ref);
        Sys.EventStream.Subscribe(Transitions.Ref, typeof(WorkerSlotTransition));
        Sys.EventStream.Subscribe(Restarts.Ref, typeof(RestartScheduled));
        Sys.EventStream.Subscribe(Crashes.Ref, typeof(Event));
    }

    protected ScriptedLauncher Launcher { get; }

    /// <summary>Starts, adoptions and kills.</summary>
    protected TestProbe Processes { get; }

    /// <summary>Plays the ConfigurationActor.</summary>
    protected TestProbe Configuration { get; }

    protected TestProbe Transitions { get; }

    protected TestProbe Restarts { get; }

    /// <summary>worker_crashed and worker_restarted events.</summary>
    protected TestProbe Crashes { get; }

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    protected WorkerSlotSettings Settings(int workerId = 0) => new(workerId, new WorkerCommand("/nonexistent/sozu-worker", []))
    {
        Configuration = Configuration.Ref,
        MinBackoff = MinBackoff,
        MaxBackoff = MaxBackoff,
        Jitter = 0,
        ResetAfter = TimeSpan.FromSeconds(60),
        HelloTimeout = TimeSpan.FromSeconds(15),
        PingInterval = TimeSpan.FromSeconds(1),
        // Probes do not answer pings unless a test makes them: no wedge unless a test sets a short timeout.
        PingTimeout = TimeSpan.FromHours(1),
        SoftStopGrace = TimeSpan.FromSeconds(30),
        HardStopGrace = TimeSpan.FromSeconds(2),
    };

    protected IActorRef StartSlot(WorkerSlotSettings settings) =>
        Sys.ActorOf(WorkerSlotSupervisor.Props(settings, Launcher, new SchedulerClock(Scheduler)));

    /// <summary>A round trip through the slot's mailbox: everything it was told before has been handled.</summary>
    protected void Sync(IActorRef slot)
    {
        var probe = CreateTestProbe();
        slot.Tell(new Identify("sync"), probe.Ref);
        probe.ExpectMsg<ActorIdentity>();
    }

    /// <summary>Virtual time passes, once the slot has handled what it was told (so its timers are set).</summary>
    protected void Advance(IActorRef slot, TimeSpan by)
    {
        Sync(slot);
        Scheduler.Advance(by);
        Sync(slot);
    }

    protected void ExpectTransition(WorkerSlotState? from, WorkerSlotState to)
    {
        var transition = Transitions.ExpectMsg<WorkerSlotTransition>();
        Assert.Equal((from, to), (transition.From, transition.To));
    }

    protected Launched ExpectLaunch(int slot, bool standby = false)
    {
        var launched = Processes.ExpectMsg<Launched>();
        Assert.Equal((slot, standby), (launched.Slot, launched.Standby));
        return launched;
    }

    protected void ExpectKill(WorkerProcess process) => Assert.Same(process, Processes.ExpectMsg<Killed>().Process);

    /// <summary>The next message of type <typeparamref name="T"/> the ConfigurationActor got (others skipped).</summary>
    protected T ExpectConfiguration<T>()
        where T : class => (T)Configuration.FishForMessage(m => m is T);

    /// <summary>Nothing more arrived at these probes (checked after a round trip through the slot).</summary>
    protected void ExpectNothingMore(IActorRef slot, params TestProbe[] probes)
    {
        Sync(slot);
        foreach (var probe in probes)
        {
            Assert.False(probe.HasMessages, $"unexpected: {(probe.HasMessages ? probe.ReceiveOne(TimeSpan.Zero) : null)}");
        }
    }

    /// <summary>The process says hello from a worker actor (the probe), which is welcomed; the configuration actor hears it joined.</summary>
    protected TestProbe Hello(IActorRef slot, int pid, int workerId = 0)
    {
        var worker = CreateTestProbe();
        slot.Tell(new WorkerHello(workerId, pid, worker.Ref, Serving: false), worker.Ref);
        worker.ExpectMsg<WorkerWelcome>();
        var joined = ExpectConfiguration<WorkerJoined>();
        Assert.Equal((pid, worker.Ref), (joined.Pid, joined.Worker));
        return worker;
    }

    /// <summary>From a fresh slot without a socket directory: its started worker registered and ready.</summary>
    protected (IActorRef Slot, WorkerProcess Process, TestProbe Worker) StartServing(WorkerSlotSettings settings)
    {
        var slot = StartSlot(settings);
        ExpectTransition(null, WorkerSlotState.Starting);
        var launched = ExpectLaunch(SozuHocon.WorkerSlot(settings.WorkerId));
        var worker = Hello(slot, launched.Process.Pid, settings.WorkerId);
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Serving);
        slot.Tell(new WorkerReady(settings.WorkerId, worker.Ref));
        Sync(slot);
        return (slot, launched.Process, worker);
    }
}
