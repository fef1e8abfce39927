using System.Globalization;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Supervisor.Cli;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sozu.Supervisor.Commands;

/// <summary>An ok answer as a person reads it: its message, then its content as tables.</summary>
internal static class AnswerPrinter
{
    public static int Print(CliContext cli, Answer answer)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Message.Length > 0)
        {
            cli.Stdout.WriteLine(answer.Message);
        }
        var console = cli.Spectre;
        switch (answer.Content)
        {
            case null:
                if (answer.Message.Length == 0)
                {
                    cli.Stdout.WriteLine("ok");
                }
                break;
            case WorkersContent workers:
                console.Write(Table(["worker", "pid", "state"], workers.Workers.Select(w => Row(Int(w.Id), Int(w.Pid), w.State))));
                break;
            case StatusContent status:
                cli.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{status.Clusters} clusters, {status.Listeners} listeners, {status.Frontends} frontends, {status.Backends} backends, {status.Certificates} certificates"));
                console.Write(Table(["process", "id", "pid", "state", "uptime", "connections"],
                    [Row("supervisor", "-", Int(status.SupervisorPid), status.State, Uptime(status.UptimeSeconds), "-"),
                     .. status.Workers.Select(w => Row("worker", Int(w.Id), Int(w.Pid), w.State, Uptime(w.UptimeSeconds), w.Connections?.ToString(CultureInfo.InvariantCulture) ?? "-"))]));
                break;
            case ClustersContent clusters:
                foreach (var info in clusters.Clusters)
                {
                    PrintCluster(console, info);
                }
                break;
            case ClustersHashesContent hashes:
                console.Write(Table(["cluster", "hash"], hashes.Hashes.Select(h => Row(h.ClusterId, h.Hash.ToString("x16", CultureInfo.InvariantCulture)))));
                break;
            case ListenersContent listeners:
                console.Write(Table(["address", "protocol", "active", "public address"],
                    listeners.Listeners.Select(l => Row(l.Listener.Address, Protocol(l.Listener.Protocol), l.Active ? "yes" : "no", l.Listener.PublicAddress ?? ""))));
                break;
            case FrontendsContent frontends:
                PrintFrontends(console, frontends);
                break;
            case CertificatesContent certificates:
                console.Write(Table(["address", "fingerprint", "names"],
                    certificates.Certificates.Select(c => Row(c.Address, c.Fingerprint, string.Join(", ", c.Names)))));
                break;
            case RequestCountsContent counts:
                console.Write(Table(["request", "count"], counts.Counts.Select(p => Row(p.Key, p.Value))));
                break;
            case MetricsContent metrics:
                PrintMetrics(cli, console, metrics);
                break;
            case StateFileContent when answer.Message.Length > 0:
                break;
            case StateFileContent file:
                cli.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Path}: {file.Requests} requests, {file.Applied} applied, {file.Refused} refused"));
                break;
            default:
                SocketCommand.PrintJson(cli, answer);
                break;
        }
        return ExitCodes.Ok;
    }

    private static void PrintCluster(IAnsiConsole console, ClusterInfo info)
    {
        var cluster = info.Cluster;
        console.Write(Table(["cluster", "load balancing", "sticky session", "https redirect"],
            [Row(cluster.ClusterId, cluster.LoadBalancing.ToString(), cluster.StickySession ? "yes" : "no", cluster.HttpsRedirect ? "yes" : "no")]));
        if (info.Backends.Count > 0)
        {
            console.Write(Table(["backend", "address", "weight", "backup"],
                info.Backends.Select(b => Row(b.BackendId, b.Address, Int(b.Weight), b.Backup ? "yes" : "no"))));
        }
        PrintFrontends(console, new FrontendsContent(info.HttpFrontends, info.HttpsFrontends, info.TcpFrontends));
    }

    private static void PrintFrontends(IAnsiConsole console, FrontendsContent frontends)
    {
        var rows = new List<IRenderable[]>();
        foreach (var f in frontends.HttpFrontends)
        {
            rows.Add(Row("http", f.Address, f.Hostname, PathText(f.Path), f.Method ?? "", f.ClusterId ?? "(deny)"));
        }
        foreach (var f in frontends.HttpsFrontends)
        {
            rows.Add(Row("https", f.Address, f.Hostname, PathText(f.Path), f.Method ?? "", f.ClusterId ?? "(deny)"));
        }
        foreach (var f in frontends.TcpFrontends)
        {
            rows.Add(Row("tcp", f.Address, "", "", "", f.ClusterId));
        }
        if (rows.Count > 0)
        {
            console.Write(Table(["protocol", "address", "hostname", "path", "method", "cluster"], rows));
        }
    }

    private static void PrintMetrics(CliContext cli, IAnsiConsole console, MetricsContent metrics)
    {
        var p = metrics.Proxy;
        cli.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{p.Workers} worker(s): {p.Sessions} sessions, buffers {p.BuffersInUse}/{p.MaxBuffers} in use (peak {p.BuffersPeak}, {p.BufferExhaustions} exhaustions), backend connections {p.BackendConnectionsOpen} open, {p.BackendConnectionsIdle} idle"));
        cli.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"incomplete request heads: {p.IncompleteHeads} waiting ({p.HeadBytesStashed} bytes), {p.HeadsEvicted} evicted under buffer pressure, {p.HeadsRefusedPerIp} refused over the per-IP cap"));
        string[] columns = ["scope", "requests", "1xx", "2xx", "3xx", "4xx", "5xx", "bytes in", "bytes out", "active", "accepted", "refused", "connect errors", "timeouts"];
        var rows = new List<IRenderable[]> { TrafficRow("proxy", p.Traffic) };
        foreach (var listener in metrics.Listeners)
        {
            rows.Add(TrafficRow($"listener {listener.Address} ({listener.Protocol})", listener.Traffic));
        }
        foreach (var cluster in metrics.Clusters)
        {
            rows.Add(TrafficRow("cluster " + cluster.ClusterId, cluster.Traffic));
            foreach (var backend in cluster.Backends)
            {
                rows.Add(TrafficRow($"  backend {backend.BackendId} {backend.Address}{(backend.Available ? "" : " (down)")}", backend.Traffic));
            }
        }
        console.Write(Table(columns, rows));

        var times = new List<IRenderable[]>();
        foreach (var cluster in metrics.Clusters)
        {
            LatencyRows(times, "cluster " + cluster.ClusterId, cluster.Latency);
            foreach (var backend in cluster.Backends)
            {
                LatencyRows(times, $"  backend {backend.BackendId} {backend.Address}", backend.Latency);
            }
        }
        if (times.Count > 0)
        {
            console.Write(Table(["scope", "time (ms)", "count", "mean", "p50", "p90", "p99", "p99.9"], times));
        }

        var tls = new List<IRenderable[]>();
        foreach (var listener in metrics.Listeners)
        {
            if (listener.Tls is { } t)
            {
                tls.Add(Row(
                    listener.Address, Long(t.Handshakes), Long(t.Tls12Handshakes), Long(t.Tls13Handshakes), Long(t.HandshakeFailures), Long(t.PeerAlerts),
                    Long(t.BadClientHellos), Long(t.NoSharedCipherOrVersion), Long(t.UnknownServerNames), Long(t.PeerClosed), Long(t.HandshakeTimeouts), Long(t.Certificates)));
            }
        }
        if (tls.Count > 0)
        {
            console.Write(Table(["listener", "handshakes", "TLS 1.2", "TLS 1.3", "failures", "peer alert", "bad hello", "no shared cipher/version", "unknown SNI", "peer closed", "timeouts", "certificates"], tls));
        }

        var proxyHeaders = new List<IRenderable[]>();
        foreach (var listener in metrics.Listeners)
        {
            if (listener.ProxyProtocol is { } headers)
            {
                proxyHeaders.Add(Row(listener.Address, Long(headers.Headers), Long(headers.Failures), Long(headers.Timeouts)));
            }
        }
        if (proxyHeaders.Count > 0)
        {
            console.Write(Table(["listener", "PROXY headers", "failures", "timeouts"], proxyHeaders));
        }
    }

    private static void LatencyRows(List<IRenderable[]> rows, string scope, LatencyMetrics latency)
    {
        LatencyRow(rows, scope, "connect", latency.ConnectTime);
        LatencyRow(rows, scope, "response head", latency.ResponseTime);
        LatencyRow(rows, scope, "response end", latency.RequestTime);
    }

    private static void LatencyRow(List<IRenderable[]> rows, string scope, string what, TimeHistogram h)
    {
        if (h.Count == 0)
        {
            return;
        }
        rows.Add(Row(scope, what, Long(h.Count), Millis(h.SumMicros / h.Count), Millis(h.P50Micros), Millis(h.P90Micros), Millis(h.P99Micros), Millis(h.P999Micros)));
    }

    private static string Millis(long micros) => (micros / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static IRenderable[] TrafficRow(string scope, TrafficMetrics t) => Row(
        scope, Long(t.Requests), Long(t.Status1xx), Long(t.Status2xx), Long(t.Status3xx), Long(t.Status4xx), Long(t.Status5xx),
        Long(t.BytesIn), Long(t.BytesOut), Long(t.ActiveConnections), Long(t.ConnectionsAccepted), Long(t.ConnectionsRefused),
        Long(t.ConnectErrors), Long(t.Timeouts));

    private static string PathText(PathRule path) => $"{path.Kind.ToString().ToLowerInvariant()} {path.Value}";

    private static string Protocol(ListenerProtocol protocol) => protocol.ToString().ToLowerInvariant();

    private static string Uptime(long? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s).ToString("c", CultureInfo.InvariantCulture) : "-";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Table Table(string[] columns, IEnumerable<IRenderable[]> rows)
    {
        var table = new Table().AddColumns(columns);
        foreach (var row in rows)
        {
            table.AddRow(row);
        }
        return table;
    }

    // Plain Text cells: addresses like [::1]:80 would otherwise be read as Spectre markup.
    private static IRenderable[] Row(params string[] values)
    {
        var cells = new IRenderable[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            cells[i] = new Text(values[i]);
        }
        return cells;
    }
}
