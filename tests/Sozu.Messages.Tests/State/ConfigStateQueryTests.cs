using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

public class ConfigStateQueryTests
{
    private static ConfigState Routed() => Sample.State()
        .Then(new AddCluster(new Cluster { ClusterId = "api" }))
        .Then(new AddBackend(Sample.Backend("api-0", "127.0.0.1:9101", "api")))
        .Then(new AddHttpFrontend(Sample.Front("api", "app.example.com") with { Path = PathRule.Prefix("/api") }))
        .Then(new AddHttpsFrontend(Sample.Front("api", "api.example.com", Sample.HttpsAddress)))
        .Then(new AddTcpFrontend(new TcpFrontend { ClusterId = "api", Address = Sample.TcpAddress }))
        .Then(new AddHttpFrontend(Sample.Front(null, "deny.example.com")))
        .Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A))
        .Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.B));

    [Fact]
    public void QueryClusterById_ReturnsTheClusterWithEverythingRoutingToIt()
    {
        var info = Routed().QueryClusterById("api");

        Assert.NotNull(info);
        Assert.Equal("api", info.Cluster.ClusterId);
        Assert.Single(info.HttpFrontends);
        Assert.Single(info.HttpsFrontends);
        Assert.Single(info.TcpFrontends);
        Assert.Equal("api-0", info.Backends.Single().BackendId);
    }

    [Fact]
    public void QueryClusterById_Unknown_ReturnsNull() => Assert.Null(Routed().QueryClusterById("nope"));

    [Fact]
    public void QueryClustersByDomain_WithoutPath_ReturnsEveryClusterOnTheHost()
    {
        var clusters = Routed().QueryClustersByDomain("APP.example.com", null);

        Assert.Equal(["api", "app"], clusters.Select(c => c.Cluster.ClusterId));
    }

    [Fact]
    public void QueryClustersByDomain_WithPath_ReturnsOnlyThatRule()
    {
        var clusters = Routed().QueryClustersByDomain("app.example.com", "/api");

        Assert.Equal(["api"], clusters.Select(c => c.Cluster.ClusterId));
    }

    [Fact]
    public void ListFrontends_ByCluster_FiltersEveryKind()
    {
        var content = Routed().ListFrontends("api", null);

        Assert.Single(content.HttpFrontends);
        Assert.Single(content.HttpsFrontends);
        Assert.Single(content.TcpFrontends);
    }

    [Fact]
    public void ListFrontends_ByDomain_MatchesPartOfTheHostAndSkipsTcp()
    {
        var content = Routed().ListFrontends(null, "deny");

        Assert.Equal("deny.example.com", content.HttpFrontends.Single().Hostname);
        Assert.Empty(content.HttpsFrontends);
        Assert.Empty(content.TcpFrontends);
    }

    [Fact]
    public void ListListeners_ReturnsAllWithTheirFlag()
    {
        var state = Routed().Then(new ActivateListener(Sample.HttpAddress, ListenerProtocol.Http));

        var listeners = state.ListListeners().Listeners;

        Assert.Equal(3, listeners.Count);
        Assert.True(listeners.Single(l => l.Listener.Address == Sample.HttpAddress).Active);
    }

    [Fact]
    public void QueryCertificates_ByDomain_MatchesWildcardNames()
    {
        var content = Routed().QueryCertificates("www.a.example.com", null);

        Assert.Equal(TestCertificates.FingerprintOf(TestCertificates.A), content.Certificates.Single().Fingerprint);
    }

    [Fact]
    public void QueryCertificates_ByFingerprint_ReturnsThatOne()
    {
        var fingerprint = TestCertificates.FingerprintOf(TestCertificates.B);

        var content = Routed().QueryCertificates(null, fingerprint);

        Assert.Equal(["b.example.com"], content.Certificates.Single().Names);
    }

    [Fact]
    public void Counts_SummariseTheState()
    {
        var state = Routed();

        Assert.Equal(3, state.ListenerCount);
        Assert.Equal(2, state.ClusterCount);
        Assert.Equal(5, state.FrontendCount);
        Assert.Equal(2, state.BackendCount);
        Assert.Equal(2, state.CertificateCount);
    }
}
