using System.Diagnostics;
using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>kill -9 of a worker under load: only the requests it held may fail, and a replacement serves.</summary>
public sealed partial class ChaosTests
{
    /// <summary>One kill: which connections the victim held, when it was stopped and gone, who replaced it and when.</summary>
    private sealed record Kill(int WorkerId, int Victim, HashSet<int> Held, TimeSpan StoppedAt, TimeSpan KilledAt, TimeSpan DeadAt, int ServedBy, TimeSpan ServedAfter, TimeSpan ListedAfter, int Probes, List<string> ProbeFailures);

    [Fact]
    public async Task Kill_9_of_a_worker_under_load_fails_only_requests_in_flight_on_it_and_a_replacement_serves()
    {
        using var rig = await StartAsync();
        await using var client = await ConnectAsync(rig.Proxy);
        await using var load = rig.StartLoad();
        await load.WaitForMoreAsync(150);
        var logFrom = rig.Proxy.Output.Length;

        // Worker 0, then worker 1 (each slot has its own standby ready).
        var kills = new List<Kill>();
        foreach (var id in (int[])[0, 1])
        {
            kills.Add(await KillWorkerAsync(rig, client, load, id));
            await load.WaitForMoreAsync(150);
        }
        await load.StopAsync();

        var outcomes = load.Outcomes;
        var failed = outcomes.Where(o => o.Failed).ToList();
        var explained = new HashSet<long>();
        var times = new List<string>();
        var inFlightTotal = 0;
        foreach (var kill in kills)
        {
            // In flight on the victim: on a connection it held, started before it was gone, not ended before it was stopped.
            var inFlight = outcomes.Count(o => kill.Held.Contains(o.ClientPort) && o.StartedAt < kill.DeadAt && o.EndedAt >= kill.StoppedAt);
            inFlightTotal += inFlight;
            var mine = failed.Where(o => kill.Held.Contains(o.ClientPort) && o.StartedAt < kill.DeadAt && o.StartedAt >= kill.StoppedAt - ChaosLoad.RequestTimeout).ToList();
            explained.UnionWith(mine.Select(o => o.Id));
            times.Add($"worker {kill.WorkerId} pid {kill.Victim}: held {kill.Held.Count} connections, {inFlight} requests in flight, {mine.Count} failed; " +
                $"kill → gone {Ms(kill.DeadAt - kill.KilledAt)} ms, → replacement pid {kill.ServedBy} served {Ms(kill.ServedAfter)} ms ({kill.Probes} probes), → list_workers names it {Ms(kill.ListedAfter)} ms");
            Assert.True(mine.Count <= inFlight, $"{mine.Count} failed, {inFlight} in flight on {kill.Victim}");
        }
        // The supervisor's own view, from its log: death seen → the standby that took over is ready.
        foreach (var id in (int[])[0, 1])
        {
            var died = TimeOfLine(rig.Proxy.Output[logFrom..], $"worker {id} (pid ", " died: ");
            var ready = TimeOfLine(rig.Proxy.Output[logFrom..], $"worker {id} (pid ", ") is ready");
            if (died is { } d && ready is { } r)
            {
                times.Add($"worker {id}: supervisor log died → replacement ready {Ms(r - d)} ms");
            }
        }
        var unexplained = failed.Where(o => !explained.Contains(o.Id)).ToList();
        Log("kill -9 worker", outcomes, string.Join("; ", times) + $"; {unexplained.Count} failures not on a victim");
        LogFailures(failed, kills[0].KilledAt);
        LogProxy(rig.Proxy, logFrom);
        foreach (var kill in kills)
        {
            Assert.True(kill.ProbeFailures.Count == 0, "probes after the death failed: " + string.Join("; ", kill.ProbeFailures));
            Assert.NotEqual(0, kill.ServedBy);
        }
        Assert.Empty(unexplained);
        Assert.True(failed.Count <= inFlightTotal);
    }

    private static async Task<Kill> KillWorkerAsync(Rig rig, SozuClient client, ChaosLoad load, int id)
    {
        var workers = await WaitForRunningAsync(client, 2);
        var victim = workers.Single(w => w.Id == id).Pid;
        var survivor = workers.Single(w => w.Id != id).Pid;

        // Held still first (SIGSTOP), so that the connections it holds at the kill are known
        // exactly: a stopped process accepts nothing and its descriptors do not change.
        ProxyProcess.Pause(victim);
        var stoppedAt = load.Now;
        for (var i = 0; i < 200 && !IsStopped(victim); i++)
        {
            await Task.Delay(1);
        }
        var held = SocketOwners.ClientPortsHeldBy(victim, [rig.HttpPort, rig.TcpPort]);
        var clock = Stopwatch.StartNew();
        var killedAt = load.Now;
        ProxyProcess.Kill(victim);
        for (var i = 0; i < 5000 && ProxyProcess.IsAlive(victim); i++)
        {
            await Task.Delay(1);
        }
        var deadAt = load.Now;
        Assert.False(ProxyProcess.IsAlive(victim));

        // kill → a request answered by a process other than the survivor (the replacement): probes
        // on new connections, each mapped to the process that accepted it.
        var servedBy = 0;
        var servedAfter = TimeSpan.Zero;
        var probes = 0;
        var probeFailures = new List<string>();
        while (servedBy == 0 && clock.Elapsed < TimeSpan.FromSeconds(10) && probes < 5000)
        {
            probes++;
            try
            {
                using var connection = new HttpConnection(rig.HttpPort);
                var (status, _) = await connection.GetAsync(Host);
                var at = clock.Elapsed;
                var owner = SocketOwners.OwnerOf(rig.HttpPort, connection.LocalPort, rig.Proxy.WorkerPids().Where(p => p != survivor && p != victim));
                if (status != 200)
                {
                    probeFailures.Add($"status {status}");
                }
                else if (owner != 0)
                {
                    (servedBy, servedAfter) = (owner, at);
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                probeFailures.Add(e.GetType().Name + ": " + e.Message);
            }
        }
        var replaced = await WaitForRunningAsync(client, 2, ws => ws.Any(w => w.Id == id && w.Pid == servedBy && w.State == "running"));
        var listedAfter = clock.Elapsed;
        Assert.Contains(replaced, w => w.Id == id && w.Pid == servedBy && w.State == "running");
        return new Kill(id, victim, held, stoppedAt, killedAt, deadAt, servedBy, servedAfter, listedAfter, probes, probeFailures);
    }

    /// <summary>The time of day of the first log line holding both parts ("HH:mm:ss.fff " starts each line).</summary>
    private static TimeSpan? TimeOfLine(string log, string first, string second)
    {
        foreach (var line in log.Split('\n'))
        {
            if (line.Contains(first, StringComparison.Ordinal) && line.Contains(second, StringComparison.Ordinal)
                && line.Length > 12 && TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", System.Globalization.CultureInfo.InvariantCulture, out var at))
            {
                return at;
            }
        }
        return null;
    }

    /// <summary>The process is stopped (state T in /proc): a SIGSTOP is delivered asynchronously.</summary>
    private static bool IsStopped(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'T';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
