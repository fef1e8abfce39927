using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Net.Worker;

namespace Sozu.Benchmarks.ControlPlane;

/// <summary>
/// `dotnet run -c Release --project tests/Sozu.Benchmarks -- control-plane [uds|tcp] [diffs]`:
/// request-to-ok latency and sustained throughput of configuration diffs with 2 workers, each
/// system (client, supervisor, 2 workers) its own ActorSystem talking through the chosen Akka
/// transport exactly as the processes do (real ConfigurationActor, real WorkerActors driving
/// real ProxyWorkers on their pinned loop threads). A console measurement, not a benchmark run:
/// Akka's remoting pipeline dominates, which BenchmarkDotNet's in-process jobs would not isolate.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ControlPlaneMeasurement
{
    public static int Run(string[] args)
    {
        var transport = args.Length > 0 ? args[0] : "uds";
        var diffs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var directory = Path.Combine("/tmp", "sozu-m-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var systems = new List<ActorSystem>();
        try
        {
            var supervisor = Create(transport, directory, SozuHocon.SupervisorFile, "supervisor", SozuHocon.SupervisorSlot, systems);
            var configuration = supervisor.ActorOf(ConfigurationActor.Props(ConfigState.Empty), ConfigurationProtocol.ActorName);
            for (var id = 0; id < 2; id++)
            {
                var worker = Create(transport, directory, SozuHocon.WorkerFile, "worker", SozuHocon.WorkerSlot(id), systems);
                worker.ActorOf(WorkerActor.Props(new WorkerActorSettings(id, new ProxyWorkerOptions { WorkerId = id, MaxBuffers = 16 })), WorkerSlotSupervisor.WorkerActorName);
                var path = new RootActorPath(Address(worker)) / "user" / WorkerSlotSupervisor.WorkerActorName;
                var remote = supervisor.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
                configuration.Tell(new WorkerJoined(id, Environment.ProcessId, remote), ActorRefs.Nobody);
            }
            var client = Create(transport, directory, SozuHocon.SupervisorFile, "client", 1001, systems);
            var remoteConfiguration = client.ActorSelection(new RootActorPath(Address(supervisor)) / "user" / ConfigurationProtocol.ActorName)
                .ResolveOne(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            WaitForWorkers(client, remoteConfiguration);

            Measure(client, remoteConfiguration, transport, 1000, window: 1, quiet: true); // warm-up
            Measure(client, remoteConfiguration, transport, diffs, window: 1, quiet: false);
            Measure(client, remoteConfiguration, transport, diffs, window: 64, quiet: false);
            return 0;
        }
        finally
        {
            foreach (var system in Enumerable.Reverse(systems))
            {
                system.Terminate().Wait(TimeSpan.FromSeconds(10));
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ActorSystem Create(string transport, string directory, string file, string host, int slot, List<ActorSystem> systems)
    {
        var config = SozuHocon.Load(SozuHocon.Shipped(file), new SozuHoconOverrides { SocketDirectory = directory, Hostname = host, Slot = slot });
        // The TCP transport is present but disabled in the shipped files; enabled here only.
        var overrides = transport == "tcp"
            ? "akka.remote.enabled-transports = [\"akka.remote.dot-netty.tcp\"]\nakka.loglevel = WARNING"
            : "akka.loglevel = WARNING";
        var system = ActorSystem.Create("sozu", ConfigurationFactory.ParseString(overrides).WithFallback(config));
        systems.Add(system);
        return system;
    }

    private static Address Address(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private static void WaitForWorkers(ActorSystem client, IActorRef configuration)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var answer = Send(client, configuration, new ListWorkers());
            if (answer.Content is WorkersContent { Workers: var workers } && workers.Count(w => w.State == "running") == 2)
            {
                return;
            }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException("the workers did not confirm the state");
    }

    private static Answer Send(ActorSystem client, IActorRef configuration, Request request)
    {
        var done = new TaskCompletionSource<Answer>();
        var one = new[] { request };
        client.ActorOf(Props.Create(() => new Driver(configuration, one, 1, done, null)));
        return done.Task.Wait(TimeSpan.FromSeconds(10)) ? done.Task.Result : throw new TimeoutException();
    }

    private static void Measure(ActorSystem client, IActorRef configuration, string transport, int count, int window, bool quiet)
    {
        // Alternating add/remove of one cluster: every diff is a real change, and the state stays small.
        var requests = new Request[count];
        for (var i = 0; i < count; i++)
        {
            requests[i] = i % 2 == 0 ? new AddCluster(new Cluster { ClusterId = "bench" }) : new RemoveCluster("bench");
        }
        var latencies = new double[count];
        var done = new TaskCompletionSource<Answer>();
        var clock = Stopwatch.StartNew();
        client.ActorOf(Props.Create(() => new Driver(configuration, requests, window, done, latencies)));
        var last = done.Task.Wait(TimeSpan.FromMinutes(5)) ? done.Task.Result : throw new TimeoutException();
        var elapsed = clock.Elapsed;
        if (last.Status != AnswerStatus.Ok)
        {
            throw new InvalidOperationException(last.Message);
        }
        if (quiet)
        {
            return;
        }
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{transport}, 2 workers, {count} diffs, {window} in flight: {count / elapsed.TotalSeconds:0} diffs/s; request→ok median {latencies[count / 2]:0} µs, p90 {latencies[(int)(count * 0.9)]:0} µs, p99 {latencies[(int)(count * 0.99)]:0} µs, max {latencies[^1]:0} µs"));
    }

    /// <summary>Keeps <c>window</c> requests in flight, timing each from send to its final answer.</summary>
    private sealed class Driver : ReceiveActor
    {
        private readonly long[] _sentAt;
        private int _next;
        private int _finished;

        public Driver(IActorRef configuration, Request[] requests, int window, TaskCompletionSource<Answer> done, double[]? latencies)
        {
            _sentAt = new long[requests.Length];
            Receive<Answer>(answer =>
            {
                if (answer.Status == AnswerStatus.Processing)
                {
                    return;
                }
                var index = int.Parse(answer.Id, CultureInfo.InvariantCulture);
                if (latencies is not null)
                {
                    latencies[index] = Stopwatch.GetElapsedTime(_sentAt[index]).TotalMicroseconds;
                }
                if (answer.Status == AnswerStatus.Error || ++_finished == requests.Length)
                {
                    done.TrySetResult(answer);
                    Context.Stop(Self);
                    return;
                }
                SendNext(configuration, requests);
            });
            for (var i = 0; i < window && i < requests.Length; i++)
            {
                SendNext(configuration, requests);
            }
        }

        private void SendNext(IActorRef configuration, Request[] requests)
        {
            if (_next >= requests.Length)
            {
                return;
            }
            var index = _next++;
            _sentAt[index] = Stopwatch.GetTimestamp();
            configuration.Tell(new ExecuteRequest(index.ToString(CultureInfo.InvariantCulture), requests[index]), Self);
        }
    }
}
