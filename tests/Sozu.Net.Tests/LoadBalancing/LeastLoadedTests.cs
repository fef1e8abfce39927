using Sozu.Messages.Config;
using Sozu.Net.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

public class LeastLoadedTests
{
    [Fact]
    public void Pick_Connections_TheFewestActiveConnectionsWins()
    {
        var backends = TestBackends.WithWeights(1, 1, 1);
        backends[0].ActiveConnections = 3;
        backends[1].ActiveConnections = 1;
        backends[2].ActiveConnections = 2;
        var balancer = new LeastLoaded(LoadMetric.Connections);
        Assert.Same(backends[1], balancer.Pick(backends, 0, null));
    }

    [Fact]
    public void Pick_Requests_ComparesInFlightRequestsNotConnections()
    {
        var backends = TestBackends.WithWeights(1, 1);
        // Backend 0 holds WebSocket pipes (connections) but no request; backend 1 has requests waiting.
        backends[0].ActiveConnections = 10;
        backends[1].ActiveConnections = 2;
        backends[1].InFlightRequests = 2;
        Assert.Same(backends[0], new LeastLoaded(LoadMetric.Requests).Pick(backends, 0, null));
        Assert.Same(backends[1], new LeastLoaded(LoadMetric.Connections).Pick(backends, 0, null));
    }

    [Fact]
    public void Pick_ConnectionTime_PrefersTheFasterBackend_AndReactsAtOnceToASlowSample()
    {
        var backends = TestBackends.WithWeights(1, 1);
        backends[0].RecordResponseTime(5, nowMs: 1_000);
        backends[1].RecordResponseTime(50, nowMs: 1_000);
        var balancer = new LeastLoaded(LoadMetric.ConnectionTime);
        Assert.Same(backends[0], balancer.Pick(backends, 1_000, null));

        // Peak EWMA: one slow answer is taken at once; fast ones only pull it down gradually.
        backends[0].RecordResponseTime(500, nowMs: 1_100);
        Assert.Equal(500, backends[0].ResponseTimeEwmaMs);
        Assert.Same(backends[1], balancer.Pick(backends, 1_100, null));
        backends[0].RecordResponseTime(5, nowMs: 1_200);
        Assert.InRange(backends[0].ResponseTimeEwmaMs, 400, 499);
    }

    [Fact]
    public void Pick_Weights_LoadIsComparedPerUnitOfWeight()
    {
        var backends = TestBackends.WithWeights(1, 3);
        backends[0].ActiveConnections = 2; // 3 / 1
        backends[1].ActiveConnections = 4; // 5 / 3
        Assert.Same(backends[1], new LeastLoaded(LoadMetric.Connections).Pick(backends, 0, null));
    }

    [Fact]
    public void Pick_EquallyLoaded_TakeTurns()
    {
        var counts = TestBackends.Count(new LeastLoaded(LoadMetric.Connections), TestBackends.WithWeights(1, 1, 1, 1), 1_000);
        Assert.Equal([250, 250, 250, 250], counts);
    }
}
