using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Worker;

/// <summary>A cluster the supervisor's state accepts, a worker accepts, and the reverse: they ask the same validator.</summary>
public class ValidationAgreementTests
{
    public static TheoryData<string, int, int, int> Clusters() => new()
    {
        { "/health", 10, 200, 0 },
        { "/health check", 10, 200, 0 },
        { "/health\tcheck", 10, 200, 0 },
        { "health", 10, 200, 0 },
        { "/health", 0, 200, 0 },
        { "/health", 10, 700, 0 },
        { "/health", 10, 0, -1 },
    };

    [Theory]
    [MemberData(nameof(Clusters))]
    public void Worker_RefusesExactlyWhatTheStateRefuses(string uri, int interval, int expectedStatus, int maxPerIp)
    {
        var cluster = new Cluster
        {
            ClusterId = "app",
            MaxConnectionsPerIp = maxPerIp,
            HealthCheck = new HealthCheckConfig { Uri = uri, IntervalSeconds = interval, ExpectedStatus = expectedStatus },
        };
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions { MaxBuffers = 4 });

        var state = ConfigState.Empty.Apply(new AddCluster(cluster));
        var applied = worker.Apply(new AddCluster(cluster));

        Assert.Equal(state.IsOk, applied.Ok);
    }
}
