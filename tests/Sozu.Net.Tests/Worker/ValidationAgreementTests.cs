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

    [Theory]
    [InlineData("TLS13_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")]
    [InlineData("TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256")]
    [InlineData("HIGH", "!aNULL")]
    [InlineData("TLS13_AES_256_GCM_SHA384", "TLS_NOT_A_CIPHER")]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA257", "HIGH")]
    public void HttpsListener_WorkerRefusesExactlyWhatTheStateRefuses(string first, string second)
    {
        var listener = new HttpsListenerConfig
        {
            Address = "127.0.0.1:1",
            CipherList = Sozu.Messages.Collections.ValueList<string>.Of(first, second),
        };
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions { MaxBuffers = 4 });

        var state = ConfigState.Empty.Apply(new AddHttpsListener(listener));
        var applied = worker.Apply(new AddHttpsListener(listener));

        Assert.Equal(state.IsOk, applied.Ok);
        Assert.Equal(!second.Contains("NOT", StringComparison.Ordinal) && !first.EndsWith("257", StringComparison.Ordinal), applied.Ok);
    }
}
