using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Tls;

/// <summary>
/// Session tickets across workers, through the real `sozu start`: the supervisor hands every
/// worker the same ticket keys, so a client resumes whichever worker accepts its connection
/// (every worker accepts from one shared queue). Each worker drawing its own key resumed only
/// about once in N (see docs/session-tickets.md).
/// </summary>
public sealed class SessionTicketEndToEndTests(ITestOutputHelper output)
{
    private const int Resumptions = 20;

    /// <summary>Past this many connections without both workers seen, the test says so instead of looping on.</summary>
    private const int MaxConnections = 80;

    [Theory(Timeout = 240_000)]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public async Task TwoWorkers_ClientResumesEveryTime_WhicheverWorkerAccepts(string version)
    {
        var openssl = ExternalTool.Find("/usr/bin/openssl") ?? throw new InvalidOperationException("openssl is not installed: run scripts/setup.sh");
        using var backend = new TestBackend("resumed");
        using var host = new SozuHost { WorkerCount = 2 };
        var port = FreePort.Tcp();
        var (certificate, key) = TestCertificate.Write(host.Directory);
        host.WriteConfig($$"""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:{{port}}"
            certificate = "{{certificate}}"
            key = "{{key}}"

            [clusters.app]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:{{port}}", hostname = "localhost" } ]
            backends = [ { address = "{{backend.Address}}", backend_id = "app-0" } ]
            """);
        await host.StartAsync();
        var workers = ((WorkersContent)(await host.ExecuteAsync(new ListWorkers())).Content!).Workers.Select(w => w.Pid).ToList();
        Assert.Equal(2, workers.Count);

        var session = Path.Combine(host.Directory, "session.pem");
        var first = await ResumingClient.ConnectAsync(openssl, port, session, "resumed", workers, version);
        Assert.False(first.Reused, "the first connection has no session to resume");
        var acceptedBy = new Dictionary<int, int> { [workers[0]] = 0, [workers[1]] = 0 };
        acceptedBy[first.Owner] = acceptedBy.GetValueOrDefault(first.Owner) + 1;
        var attempts = 0;
        var reused = 0;
        while (attempts < MaxConnections && (attempts < Resumptions || acceptedBy.Values.Any(count => count == 0)))
        {
            var next = await ResumingClient.ConnectAsync(openssl, port, session, "resumed", workers, version);
            attempts++;
            acceptedBy[next.Owner] = acceptedBy.GetValueOrDefault(next.Owner) + 1;
            if (next.Reused)
            {
                reused++;
            }
            else
            {
                output.WriteLine($"attempt {attempts} (worker pid {next.Owner}) did not resume:\n{next.Transcript}");
            }
        }
        output.WriteLine($"{version}: {reused}/{attempts} resumed; accepted by " + string.Join(", ", acceptedBy.Select(p => $"pid {p.Key}: {p.Value}")));
        Assert.True(acceptedBy.GetValueOrDefault(0) == 0, "a connection's proxy end was found in neither worker");
        Assert.True(acceptedBy[workers[0]] > 0 && acceptedBy[workers[1]] > 0,
            $"in {attempts + 1} connections one worker accepted nothing: " + string.Join(", ", acceptedBy.Select(p => $"pid {p.Key}: {p.Value}")));
        Assert.True(attempts >= Resumptions);
        Assert.Equal(attempts, reused);
    }
}
