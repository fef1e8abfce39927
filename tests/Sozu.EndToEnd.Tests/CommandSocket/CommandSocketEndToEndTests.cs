using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.CommandSocket;

/// <summary>The running product driven through its command socket with raw lines, as socat would.</summary>
public sealed partial class CommandSocketEndToEndTests : IClassFixture<RunningProxy>
{
    private readonly RunningProxy _proxy;

    public CommandSocketEndToEndTests(RunningProxy proxy)
    {
        _proxy = proxy;
    }

    private SozuHost Host => _proxy.Host;

    [Fact]
    public async Task EveryRequestType_IsAnsweredOk_WithItsContent()
    {
        var port = Host.ListenerPort;
        var tcpPort = FreePort.Tcp();
        var httpsPort = FreePort.Tcp();
        var state = Path.Combine(Host.Directory, "every-type.state");
        string[] lines =
        [
            """{"id":"1","type":"add_cluster","data":{"cluster_id":"every","load_balancing":"round_robin","sticky_session":false,"https_redirect":false}}""",
            """{"id":"2","type":"add_backend","data":{"cluster_id":"every","backend_id":"every-0","address":"127.0.0.1:1","weight":100}}""",
            $$$$"""{"id":"3","type":"add_http_frontend","data":{"cluster_id":"every","address":"127.0.0.1:{{{{port}}}}","hostname":"every.example.com","path":{"kind":"prefix","value":"/"}}}""",
            """{"id":"4","type":"status"}""",
            """{"id":"5","type":"list_workers"}""",
            """{"id":"6","type":"list_listeners"}""",
            """{"id":"7","type":"list_frontends","data":{"cluster_id":"every"}}""",
            """{"id":"8","type":"query_cluster_by_id","data":{"cluster_id":"every"}}""",
            """{"id":"9","type":"query_clusters_by_domain","data":{"hostname":"every.example.com"}}""",
            """{"id":"10","type":"query_clusters_hashes"}""",
            """{"id":"11","type":"query_metrics","data":{}}""",
            """{"id":"12","type":"query_certificates","data":{}}""",
            """{"id":"13","type":"count_requests"}""",
            """{"id":"14","type":"set_logging","data":{"level":"info"}}""",
            $$$"""{"id":"15","type":"save_state","data":{"path":"{{{state}}}"}}""",
            $$$"""{"id":"16","type":"load_state","data":{"path":"{{{state}}}"}}""",
            $$$"""{"id":"17","type":"add_tcp_listener","data":{"address":"127.0.0.1:{{{tcpPort}}}"}}""",
            $$$"""{"id":"18","type":"activate_listener","data":{"address":"127.0.0.1:{{{tcpPort}}}","proxy":"tcp"}}""",
            $$$"""{"id":"19","type":"deactivate_listener","data":{"address":"127.0.0.1:{{{tcpPort}}}","proxy":"tcp"}}""",
            $$$"""{"id":"20","type":"update_tcp_listener","data":{"address":"127.0.0.1:{{{tcpPort}}}","front_timeout":30}}""",
            $$$"""{"id":"21","type":"remove_listener","data":{"address":"127.0.0.1:{{{tcpPort}}}","proxy":"tcp"}}""",
            $$$"""{"id":"22","type":"add_https_listener","data":{"address":"127.0.0.1:{{{httpsPort}}}"}}""",
            $$$"""{"id":"23","type":"remove_listener","data":{"address":"127.0.0.1:{{{httpsPort}}}","proxy":"https"}}""",
            $$$"""{"id":"24","type":"update_http_listener","data":{"address":"127.0.0.1:{{{port}}}","front_timeout":60}}""",
            $$$$"""{"id":"25","type":"remove_http_frontend","data":{"cluster_id":"every","address":"127.0.0.1:{{{{port}}}}","hostname":"every.example.com","path":{"kind":"prefix","value":"/"}}}""",
            """{"id":"26","type":"remove_backend","data":{"cluster_id":"every","backend_id":"every-0","address":"127.0.0.1:1"}}""",
            """{"id":"27","type":"remove_cluster","data":{"cluster_id":"every"}}""",
            """{"id":"28","type":"reload_configuration","data":{}}""",
            """{"id":"29","type":"subscribe_events"}""",
        ];
        var answers = Finals(await Host.RawAsync(lines));
        Assert.Equal(lines.Length, answers.Count);
        foreach (var answer in answers.Values)
        {
            Assert.True(answer.Status == AnswerStatus.Ok, $"request {answer.Id}: {answer.Message}");
        }
        Assert.IsType<WorkersContent>(answers["5"].Content);
        Assert.IsType<ListenersContent>(answers["6"].Content);
        Assert.Single(Assert.IsType<FrontendsContent>(answers["7"].Content).HttpFrontends);
        Assert.Equal("every", Assert.Single(Assert.IsType<ClustersContent>(answers["8"].Content).Clusters).Cluster.ClusterId);
        Assert.Single(Assert.IsType<ClustersContent>(answers["9"].Content).Clusters);
        Assert.Contains(Assert.IsType<ClustersHashesContent>(answers["10"].Content).Hashes, h => h.ClusterId == "every");
        Assert.IsType<MetricsContent>(answers["11"].Content);
        Assert.IsType<CertificatesContent>(answers["12"].Content);
        Assert.True(Assert.IsType<RequestCountsContent>(answers["13"].Content).Counts.ContainsKey("status"));
        Assert.True(File.Exists(state));
        Assert.DoesNotContain(Assert.IsType<ClustersHashesContent>((await Host.ExecuteAsync(new QueryClustersHashes())).Content).Hashes, h => h.ClusterId == "every");
    }

    [Fact]
    public async Task Status_NamesTheSupervisorAndEachWorker_WithPidStateUptimeAndConnections()
    {
        using var connection = new HttpConnection(Host.ListenerPort);
        Assert.Equal(200, (await connection.GetAsync("localhost")).Status);

        var answer = Parse(Assert.Single(await Host.RawAsync("""{"id":"st","type":"status"}""")));

        Assert.Equal(AnswerStatus.Ok, answer.Status);
        var status = Assert.IsType<StatusContent>(answer.Content);
        Assert.Equal(Host.Pid, status.SupervisorPid);
        Assert.Equal("running", status.State);
        Assert.True(status.UptimeSeconds >= 0);
        Assert.True(status.Clusters >= 1 && status.Listeners >= 1, answer.Message);
        var worker = Assert.Single(status.Workers);
        Assert.Equal("running", worker.State);
        Assert.NotEqual(Host.Pid, worker.Pid);
        Assert.True(Directory.Exists($"/proc/{worker.Pid}"), $"worker pid {worker.Pid} is no live process");
        Assert.NotNull(worker.UptimeSeconds);
        Assert.InRange(worker.UptimeSeconds!.Value, 0, status.UptimeSeconds + 1);
        // The keep-alive connection above is still open in the worker.
        Assert.True(worker.Connections >= 1, $"connections: {worker.Connections}");
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("""{"id":"b","type":"add_clustr","data":{}}""", "unknown type")]
    [InlineData("""{"id":"b","type":"add_backend","data":{"cluster_id":"app","address":"127.0.0.1:1"}}""", "backend_id")]
    [InlineData("""{"id":"b","type":"add_backend","data":{"cluster_id":"app","backend_id":"x","address":"127.0.0.1:1","weight":"a lot"}}""", "weight")]
    [InlineData("""{"id":"b","type":"remove_cluster","data":{"cluster_id":"no-such-cluster"}}""", "no-such-cluster")]
    public async Task BadInput_IsAnsweredWithAnError_AndTheNextRequestStillWorks_AndTheStateIsUnchanged(string line, string expected)
    {
        var before = await Hashes();
        var answers = await Host.RawAsync(line, """{"id":"after","type":"status"}""");
        var finals = answers.Select(Parse).Where(a => a.Status != AnswerStatus.Processing).ToList();
        Assert.Equal(AnswerStatus.Error, finals[0].Status);
        Assert.Contains(expected, finals[0].Message, StringComparison.Ordinal);
        Assert.Equal(AnswerStatus.Ok, finals[1].Status);
        Assert.Equal(before, await Hashes());
    }

    [Fact]
    public async Task OversizedLine_IsRefused_AndTheConnectionLivesOn()
    {
        var huge = """{"id":"huge","type":"query_cluster_by_id","data":{"cluster_id":""" + "\"" + new string('a', 1_100_000) + "\"}}";
        var answers = await Host.RawAsync(huge, """{"id":"after","type":"list_workers"}""");
        var first = Parse(answers[0]);
        Assert.Equal(AnswerStatus.Error, first.Status);
        Assert.Contains("line too long", first.Message, StringComparison.Ordinal);
        Assert.Equal(AnswerStatus.Ok, Parse(answers[^1]).Status);
    }

    [Fact]
    public async Task MetricsAfterNRequests_SayN()
    {
        const int N = 17;
        var cluster = "counted-" + Guid.NewGuid().ToString("N")[..6];
        var port = Host.ListenerPort;
        var setup = Finals(await Host.RawAsync(
            $$$"""{"id":"c","type":"add_cluster","data":{"cluster_id":"{{{cluster}}}"}}""",
            $$$"""{"id":"b","type":"add_backend","data":{"cluster_id":"{{{cluster}}}","backend_id":"{{{cluster}}}-0","address":"{{{_proxy.Backend.Address}}}"}}""",
            $$$"""{"id":"f","type":"add_http_frontend","data":{"cluster_id":"{{{cluster}}}","address":"127.0.0.1:{{{port}}}","hostname":"{{{cluster}}}.local"}}"""));
        Assert.All(setup.Values, a => Assert.Equal(AnswerStatus.Ok, a.Status));

        var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {cluster}.local\r\n\r\n");
        long received;
        using (var connection = new RawHttpConnection(port))
        {
            for (var i = 0; i < N; i++)
            {
                Assert.Equal(200, await connection.ExchangeAsync(request));
            }
            received = connection.BytesReceived;
        }
        var answer = await Host.ExecuteAsync(new QueryMetrics { ClusterIds = ValueList<string>.Of(cluster) });
        var metrics = Assert.IsType<MetricsContent>(answer.Content);
        var counted = Assert.Single(metrics.Clusters);
        Assert.Equal(N, counted.Traffic.Requests);
        Assert.Equal(N, counted.Traffic.Status2xx);
        Assert.Equal(N * request.Length, counted.Traffic.BytesIn);
        Assert.Equal(received, counted.Traffic.BytesOut);
        var backend = Assert.Single(counted.Backends);
        Assert.Equal(N, backend.Traffic.Requests);
        Assert.True(backend.Traffic.BytesOut > N * request.Length, "the forwarded heads carry the proxy's headers");
        Assert.True(backend.Traffic.BytesIn > 0);
        foreach (var latency in new[] { counted.Latency, backend.Latency })
        {
            Assert.Equal(1, latency.ConnectTime.Count);
            Assert.Equal(N, latency.ResponseTime.Count);
            Assert.Equal(N, latency.RequestTime.Count);
            Assert.Equal(N, latency.ResponseTime.Buckets.Sum(b => b.Count));
            Assert.True(latency.ResponseTime.P50Micros > 0);
            Assert.True(latency.ResponseTime.P50Micros <= latency.ResponseTime.P90Micros);
            Assert.True(latency.ResponseTime.P90Micros <= latency.ResponseTime.P99Micros);
            Assert.True(latency.ResponseTime.P99Micros <= latency.ResponseTime.P999Micros);
            Assert.True(latency.RequestTime.SumMicros >= latency.ResponseTime.SumMicros);
        }

        // On the wire, as an operator's tool reads it.
        var line = Assert.Single(await Host.RawAsync($$$"""{"id":"m","type":"query_metrics","data":{"cluster_ids":["{{{cluster}}}"]}}"""));
        Assert.Matches($$"""
            "response_time":\{"count":{{N}},"sum_micros":\d+,"p50_micros":\d+,"p90_micros":\d+,"p99_micros":\d+,"p999_micros":\d+,"buckets":\[\{"le_micros":\d+,"count":\d+\}
            """, line);

        // metric_names keeps the named counters and zeroes the rest; an unknown name is refused.
        var selected = Parse(Assert.Single(await Host.RawAsync($$$"""{"id":"n","type":"query_metrics","data":{"cluster_ids":["{{{cluster}}}"],"metric_names":["requests"]}}""")));
        var kept = Assert.Single(Assert.IsType<MetricsContent>(selected.Content).Clusters);
        Assert.Equal(TrafficMetrics.Zero with { Requests = N }, kept.Traffic);
        Assert.Equal(0, kept.Latency.ResponseTime.Count);
        var refused = Parse(Assert.Single(await Host.RawAsync("""{"id":"u","type":"query_metrics","data":{"metric_names":["requests","bogus"]}}""")));
        Assert.Equal(AnswerStatus.Error, refused.Status);
        Assert.Contains("unknown metric name(s) bogus;", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrometheusEndpoint_ServesTheTextFormat()
    {
        Assert.Equal(200, (await HttpConnection.GetOnceAsync(Host.ListenerPort, "localhost")).Status);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Host.PrometheusPort}/metrics"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        var samples = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(CommentLine(), line);
                continue;
            }
            Assert.Matches(SampleLine(), line);
            samples++;
        }
        Assert.True(samples > 10);
        AssertHistogram(text, "sozu_cluster_response_time_seconds", "cluster_id=\"app\"");
        AssertHistogram(text, "sozu_backend_request_time_seconds", "cluster_id=\"app\",backend_id=\"app-0\",address=\"" + _proxy.Backend.Address + "\"");
        var requests = Regex.Match(text, @"^sozu_http_requests_total (\d+)$", RegexOptions.Multiline);
        Assert.True(requests.Success);
        Assert.True(long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) >= 1);
        using var notFound = await http.GetAsync(new Uri($"http://127.0.0.1:{Host.PrometheusPort}/other"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);
    }

    /// <summary>The family is a valid histogram for these labels: cumulative buckets, +Inf equal to the count, at least one sample.</summary>
    private static void AssertHistogram(string text, string family, string labels)
    {
        Assert.Contains($"# TYPE {family} histogram\n", text, StringComparison.Ordinal);
        var previous = 0L;
        var bounds = 0;
        foreach (Match bucket in Regex.Matches(text, "^" + Regex.Escape(family + "_bucket{" + labels + ",le=\"") + "([^\"]+)\"} (\\d+)$", RegexOptions.Multiline))
        {
            var count = long.Parse(bucket.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(count >= previous, $"{family} buckets are not cumulative at le={bucket.Groups[1].Value}");
            previous = count;
            bounds++;
            if (bucket.Groups[1].Value != "+Inf")
            {
                Assert.True(double.TryParse(bucket.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            }
            else
            {
                var total = Regex.Match(text, "^" + Regex.Escape(family + "_count{" + labels + "}") + " (\\d+)$", RegexOptions.Multiline);
                Assert.True(total.Success, family + "_count missing");
                Assert.Equal(count, long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }
        Assert.True(bounds > 2, $"{family}{{{labels}}} has {bounds} buckets");
        Assert.True(previous >= 1, $"{family}{{{labels}}} has no sample");
        Assert.Matches("(?m)^" + Regex.Escape(family + "_sum{" + labels + "}") + " [0-9]+(\\.[0-9]+)?$", text);
    }

    [Fact]
    public async Task StatsdListener_ReceivesTheCountersAndTheTimers()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var seen = new StringBuilder();
        bool counter = false, timer = false;
        var lastRequest = DateTime.MinValue;
        while (DateTime.UtcNow < deadline && !(counter && timer))
        {
            // A timer line follows only new samples: keep making some, in case a datagram is lost.
            if (DateTime.UtcNow - lastRequest > TimeSpan.FromSeconds(1))
            {
                Assert.Equal(200, (await HttpConnection.GetOnceAsync(Host.ListenerPort, "localhost")).Status);
                lastRequest = DateTime.UtcNow;
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                var datagram = await _proxy.Statsd.ReceiveAsync(timeout.Token);
                var text = Encoding.UTF8.GetString(datagram.Buffer);
                seen.Append(text).Append('\n');
                counter |= Regex.IsMatch(text, @"^sozu\.http\.requests:\d+\|c$", RegexOptions.Multiline);
                timer |= Regex.IsMatch(text, @"^sozu\.app\.cluster\.response\.time:[0-9]+(\.[0-9]+)?\|ms(\|@0\.[0-9]+)?$", RegexOptions.Multiline);
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.True(counter && timer, $"counter {counter}, timer {timer}; got:\n{seen}");
    }

    [Fact]
    public async Task TenThousandRandomAndMutatedLines_CrashNothing_ChangeNothing_LeakNoDescriptor()
    {
        var before = await Hashes();
        var descriptorsBefore = Host.OpenFileDescriptors();
        var random = new Random(20261123);
        string[] seeds =
        [
            """{"id":"f","type":"status"}""",
            """{"id":"f","type":"query_cluster_by_id","data":{"cluster_id":"app"}}""",
            """{"id":"f","type":"list_frontends","data":{"cluster_id":"app","domain":"localhost"}}""",
            """{"id":"f","type":"add_backend","data":{"cluster_id":"nope","backend_id":"n","address":"127.0.0.1:1"}}""",
            """{"id":"f","type":"remove_cluster","data":{"cluster_id":"nope"}}""",
            """{"id":"f","type":"remove_backend","data":{"cluster_id":"nope","backend_id":"n","address":"127.0.0.1:1"}}""",
            """{"id":"f","type":"query_clusters_by_domain","data":{"hostname":"localhost","path":"/"}}""",
            """{"id":"f","type":"add_http_frontend","data":{"cluster_id":"nope","address":"127.0.0.1:9","hostname":"x"}}""",
        ];
        const int Lines = 10_000;
        await using var client = await Host.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var reader = Task.Run(async () =>
        {
            var finals = 0;
            while (finals < Lines)
            {
                var line = await client.ReadLineAsync(timeout.Token) ?? throw new IOException($"closed after {finals} answers");
                if (!line.Contains("\"status\":\"processing\"", StringComparison.Ordinal))
                {
                    finals++;
                }
            }
            return finals;
        });
        for (var i = 0; i < Lines; i++)
        {
            var line = Mutate(random, Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]));
            await client.SendBytesAsync(line, timeout.Token);
        }
        Assert.Equal(Lines, await reader);

        Assert.Equal(before, await Hashes());
        Assert.Equal(AnswerStatus.Ok, (await Host.ExecuteAsync(new Status())).Status);
        Assert.InRange(Host.OpenFileDescriptors(), 0, descriptorsBefore + 5);
    }

    /// <summary>Flips, deletes, inserts or truncates bytes, or sends pure noise; never a newline (one line in, one answer out).</summary>
    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        switch (random.Next(6))
        {
            case 0:
                var noise = new byte[random.Next(1, 200)];
                random.NextBytes(noise);
                bytes = [.. noise];
                break;
            case 1:
                bytes.RemoveRange(random.Next(bytes.Count), 1);
                break;
            case 2:
                bytes.Insert(random.Next(bytes.Count), (byte)random.Next(256));
                break;
            case 3:
                bytes = bytes.GetRange(0, random.Next(1, bytes.Count));
                break;
            default:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }
                break;
        }
        for (var i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                bytes[i] = (byte)' ';
            }
        }
        return [.. bytes];
    }

    private async Task<string> Hashes()
    {
        var answer = await Host.ExecuteAsync(new QueryClustersHashes());
        var hashes = Assert.IsType<ClustersHashesContent>(answer.Content).Hashes;
        return string.Join(",", hashes.Select(h => $"{h.ClusterId}={h.Hash}"));
    }

    private static Answer Parse(string line)
    {
        Assert.True(CommandJson.TryParseAnswer(Encoding.UTF8.GetBytes(line), out var answer, out var error), error + ": " + line);
        return answer;
    }

    private static Dictionary<string, Answer> Finals(List<string> lines)
    {
        var finals = new Dictionary<string, Answer>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            // The connection that subscribed also receives event lines (the removals in this
            // test drain a backend): those are not answers.
            if (CommandJson.TryParseEvent(Encoding.UTF8.GetBytes(line), out _, out _))
            {
                continue;
            }
            var answer = Parse(line);
            if (answer.Status != AnswerStatus.Processing)
            {
                finals[answer.Id] = answer;
            }
        }
        return finals;
    }

    [GeneratedRegex(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$")]
    private static partial Regex CommentLine();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9]+(\.[0-9]+)?$""")]
    private static partial Regex SampleLine();
}
