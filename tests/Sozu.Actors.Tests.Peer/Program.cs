using Akka.Actor;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Messages.Answers;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.Peer;

/// <summary>
/// Usage: Sozu.Actors.Tests.Peer &lt;worker.hocon&gt; &lt;socket-dir&gt; &lt;worker-id&gt;.
/// Starts a worker system on slot 100+id, answers WorkerRequests, announces itself to
/// akka.unix://sozu@supervisor:1/user/registry until acknowledged, and exits when the
/// supervisor's registry terminates.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || !int.TryParse(args[2], out var workerId))
        {
            await Console.Error.WriteLineAsync("usage: Sozu.Actors.Tests.Peer <worker.hocon> <socket-dir> <worker-id>");
            return 2;
        }
        var system = SozuHocon.CreateSystem(args[0], new SozuHoconOverrides
        {
            SocketDirectory = args[1],
            Hostname = "worker",
            Slot = SozuHocon.WorkerSlot(workerId),
        });
        system.ActorOf(Props.Create(() => new PeerActor(workerId)), "peer");
        await system.WhenTerminated;
        return 0;
    }

    private sealed class PeerActor : ReceiveActor, IWithTimers
    {
        private const string AnnounceTimer = "announce";

        public PeerActor(int workerId)
        {
            var registry = Context.ActorSelection("akka.unix://sozu@supervisor:1/user/registry");
            Receive<string>(tick => tick == AnnounceTimer, _ =>
                registry.Tell(new PeerAnnouncement("worker", SozuHocon.WorkerSlot(workerId), Self)));
            Receive<PeerAnnouncement>(supervisor =>
            {
                Timers.Cancel(AnnounceTimer);
                Context.Watch(supervisor.Actor);
            });
            Receive<WorkerRequest>(request =>
                Sender.Tell(new WorkerResponse(request.Id, workerId, AnswerStatus.Ok, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Receive<Terminated>(_ => Context.System.Terminate());
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer(AnnounceTimer, AnnounceTimer, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }
}
