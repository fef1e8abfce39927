using System.Diagnostics;
using System.Text.RegularExpressions;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.ControlPlane;

/// <summary>kill -9 of a worker: how fast a replacement serves, and who sees an error meanwhile.</summary>
public sealed partial class ControlPlaneTests
{
    /// <summary>A bound that a loaded 2-core CI box cannot miss; the measured time is logged.</summary>
    private static readonly TimeSpan ReplacementLimit = TimeSpan.FromSeconds(5);

    private static async Task WaitForStandby(ProxyProcess proxy, int workerId, int readyLines)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (StandbyReadyLine(workerId).Count(proxy.Output) < readyLines && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(StandbyReadyLine(workerId).Count(proxy.Output) >= readyLines, proxy.Output);
    }

    private static Regex StandbyReadyLine(int workerId) =>
        new($@"worker {workerId}: standby process \d+ is ready to take over", RegexOptions.CultureInvariant);

    /// <summary>Who holds the listening socket and each connection of <paramref name="port"/> (ss -p), for a failure's evidence.</summary>
    private static string SocketHolders(int port)
    {
        var text = new System.Text.StringBuilder();
        foreach (var args in new[] { $"-ltnpe sport = :{port}", $"-tnpe sport = :{port}" })
        {
            using var ss = Process.Start(new ProcessStartInfo("ss", args) { RedirectStandardOutput = true })!;
            text.AppendLine(ss.StandardOutput.ReadToEnd());
            ss.WaitForExit(5_000);
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_killed_worker_is_replaced_by_a_process_that_serves_the_current_configuration_on_its_own_within_the_bound()
    {
        using var one = new TestBackend("one");
        using var two = new TestBackend("two");
        using var proxy = ProxyProcess.Start("app.test", one.Address);
        var port = proxy.ListenerPort;
        Assert.True(await HttpProbe.WaitForAsync(port, "app.test", "one", StartLimit), proxy.Output);
        await using var client = await Connect(proxy);
        await WaitForRunning(client, 2);

        // The current configuration includes a change made after start: the replacement must have it.
        Request[] change =
        [
            new AddCluster(new Cluster { ClusterId = "two" }),
            new AddBackend(new Backend { ClusterId = "two", BackendId = "two-0", Address = two.Address }),
            new AddHttpFrontend(new HttpFrontend { ClusterId = "two", Address = $"127.0.0.1:{port}", Hostname = "two.test" }),
        ];
        foreach (var request in change)
        {
            Assert.Equal(AnswerStatus.Ok, (await client.SendAsync(request)).Status);
        }

        var kills = int.TryParse(Environment.GetEnvironmentVariable("SOZU_E2E_KILLS"), out var n) ? Math.Clamp(n, 1, 20) : 2;
        var measured = new List<double>();
        for (var kill = 1; kill <= kills; kill++)
        {
            await WaitForStandby(proxy, 0, kill);
            var before = await WaitForRunning(client, 2);
            var victim = before.Single(w => w.Id == 0).Pid;
            var survivor = before.Single(w => w.Id == 1).Pid;

            // The other worker is held still (SIGSTOP) so that only the replacement can accept:
            // a connection opened right after the kill waits in the shared accept queue until
            // the replacement takes it, and its answer times kill → the replacement serving.
            // kill returns before every thread has stopped: a loop thread still running could accept
            // the connection below and hold it, frozen, until the ping kills it (~10 s; seen in CI).
            Assert.True(ProxyProcess.PauseAndWait(survivor, TimeSpan.FromSeconds(5)), $"worker {survivor} did not stop within 5 s of its SIGSTOP");
            var clock = Stopwatch.StartNew();
            var servedBy = 0;
            var holders = "";
            var servedAt = TimeSpan.Zero;
            try
            {
                ProxyProcess.Kill(victim);
                for (var i = 0; i < 2000 && ProxyProcess.IsAlive(victim); i++)
                {
                    await Task.Delay(1); // a dying victim must not take the connection with it
                }
                // A connection that fails is logged with who held it, and fails the bound.
                for (var attempt = 1; attempt <= 3 && servedBy == 0; attempt++)
                {
                    try
                    {
                        using var connection = new HttpConnection(port);
                        // A connection still unanswered after 3 s: record who holds it while it hangs.
                        var clientPort = connection.LocalPort;
                        using var answered = new CancellationTokenSource();
                        var snapshot = Task.Run(async () =>
                        {
                            await Task.Delay(3_000, answered.Token);
                            holders = $"client port {clientPort}, {clock.Elapsed.TotalMilliseconds:0} ms after the kill:\n{SocketHolders(port)}";
                        });
                        (int Status, string Body) answer;
                        try
                        {
                            answer = await connection.GetAsync("two.test");
                        }
                        finally
                        {
                            // Answered (or failed) within 3 s: no snapshot; otherwise wait for the one taken.
                            await answered.CancelAsync();
                            await snapshot.ContinueWith(static _ => { }, TaskScheduler.Default);
                        }
                        var (status, body) = answer;
                        servedAt = clock.Elapsed;
                        Assert.Equal((200, "two"), (status, body));
                        servedBy = SocketOwners.OwnerOf(port, connection.LocalPort, proxy.WorkerPids());
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException)
                    {
                        // The evidence of a failed connection goes to the output.
                        output.WriteLine($"kill {kill}: connection {attempt} failed after {clock.Elapsed.TotalMilliseconds:0} ms: {e.Message}");
                        output.WriteLine(holders);
                        output.WriteLine(proxy.Output);
                    }
                }
            }
            finally
            {
                ProxyProcess.Resume(survivor);
            }
            Assert.NotEqual(victim, servedBy);
            Assert.NotEqual(survivor, servedBy);
            Assert.NotEqual(0, servedBy);
            var elapsed = servedAt;
            measured.Add(elapsed.TotalMilliseconds);
            output.WriteLine($"kill {kill}: kill -9 of pid {victim} → pid {servedBy} answered a request on its own after {elapsed.TotalMilliseconds:0} ms");
            Assert.True(elapsed < ReplacementLimit, $"{elapsed.TotalMilliseconds:0} ms");
            foreach (var line in proxy.Output.Split('\n').Where(l => l.Contains("worker 0", StringComparison.Ordinal)
                && (l.Contains("died", StringComparison.Ordinal) || l.Contains("takes over", StringComparison.Ordinal) || l.Contains("is ready", StringComparison.Ordinal))).TakeLast(3))
            {
                output.WriteLine("  " + line.Trim());
            }
            var after = await WaitForRunning(client, 2, ws => ws.All(w => w.Pid != victim));
            Assert.Contains(after, w => w.Pid == servedBy);
        }
        measured.Sort();
        output.WriteLine($"kill → replacement serving over {measured.Count} kills: median {measured[measured.Count / 2]:0} ms, max {measured[^1]:0} ms");
    }

    [Fact]
    public async Task While_a_worker_is_killed_the_other_serves_every_connection_it_owns_and_every_new_one()
    {
        using var backend = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", backend.Address);
        var port = proxy.ListenerPort;
        Assert.True(await HttpProbe.WaitForAsync(port, "app.test", "one", StartLimit), proxy.Output);
        await using var client = await Connect(proxy);
        var workers = await WaitForRunning(client, 2);
        var victim = workers.Single(w => w.Id == 0).Pid;
        var survivor = workers.Single(w => w.Id == 1).Pid;

        // Keep-alive connections, each mapped to the worker that accepted it; both workers own some.
        var connections = new List<(HttpConnection Connection, int Owner)>();
        try
        {
            for (var i = 0; i < 64 && (connections.Count(c => c.Owner == victim) < 4 || connections.Count(c => c.Owner == survivor) < 4); i++)
            {
                var connection = new HttpConnection(port);
                Assert.Equal((200, "one"), await connection.GetAsync("app.test"));
                connections.Add((connection, SocketOwners.OwnerOf(port, connection.LocalPort, [victim, survivor])));
            }
            Assert.Contains(connections, c => c.Owner == survivor);

            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var keepAliveErrors = new List<(int Owner, TimeSpan At, string Error)>();
            var keepAliveRequests = 0;
            var keepAlive = Task.Run(async () =>
            {
                var dead = new HashSet<int>();
                for (var round = 0; round < 100_000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(60); round++)
                {
                    for (var i = 0; i < connections.Count; i++)
                    {
                        if (dead.Contains(i))
                        {
                            continue;
                        }
                        try
                        {
                            var (status, _) = await connections[i].Connection.GetAsync("app.test");
                            keepAliveRequests++;
                            if (status != 200)
                            {
                                keepAliveErrors.Add((connections[i].Owner, clock.Elapsed, $"status {status}"));
                            }
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException or FormatException or IndexOutOfRangeException)
                        {
                            dead.Add(i);
                            keepAliveErrors.Add((connections[i].Owner, clock.Elapsed, e.GetType().Name + ": " + e.Message));
                        }
                    }
                }
            });
            var fresh = new List<(TimeSpan Opened, int Status)>();
            var newConnections = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < 100_000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(60); i++)
                {
                    var opened = clock.Elapsed;
                    var (status, _) = await HttpProbe.GetAsync(port, "app.test", TimeSpan.FromSeconds(5));
                    lock (fresh)
                    {
                        fresh.Add((opened, status));
                    }
                }
            })).ToArray();

            await Task.Delay(500);
            var killedAt = clock.Elapsed;
            ProxyProcess.Kill(victim);
            for (var i = 0; i < 500 && ProxyProcess.IsAlive(victim); i++)
            {
                await Task.Delay(10);
            }
            var observedAt = clock.Elapsed;
            await WaitForRunning(client, 2, ws => ws.All(w => w.Pid != victim));
            await Task.Delay(1000);
            await stop.CancelAsync();
            await keepAlive;
            await Task.WhenAll(newConnections);

            var survivorErrors = keepAliveErrors.Where(e => e.Owner != victim).ToList();
            var victimErrors = keepAliveErrors.Where(e => e.Owner == victim).ToList();
            var freshAfter = fresh.Where(f => f.Opened >= observedAt).ToList();
            var freshBefore = fresh.Where(f => f.Opened < observedAt).ToList();
            output.WriteLine($"kill -9 of pid {victim} at {killedAt.TotalMilliseconds:0} ms, seen gone after {(observedAt - killedAt).TotalMilliseconds:0} ms");
            output.WriteLine($"keep-alive: {connections.Count} connections ({connections.Count(c => c.Owner == survivor)} on the survivor, {connections.Count(c => c.Owner == victim)} on the victim), {keepAliveRequests} requests; " +
                $"errors on the survivor's: {survivorErrors.Count}, on the victim's: {victimErrors.Count}");
            output.WriteLine($"new connections: {freshBefore.Count} opened before the death was seen ({freshBefore.Count(f => f.Status != 200)} failed), " +
                $"{freshAfter.Count} after ({freshAfter.Count(f => f.Status != 200)} failed)");
            foreach (var error in keepAliveErrors)
            {
                output.WriteLine($"  keep-alive error on pid {error.Owner} at {(error.At - killedAt).TotalMilliseconds:0} ms: {error.Error}");
            }
            Assert.Empty(survivorErrors);
            Assert.NotEmpty(freshAfter);
            Assert.DoesNotContain(freshAfter, f => f.Status != 200);
        }
        finally
        {
            foreach (var (connection, _) in connections)
            {
                connection.Dispose();
            }
        }
    }
}
