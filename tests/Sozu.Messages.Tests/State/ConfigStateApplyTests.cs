using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

public class ConfigStateApplyTests
{
    // ---- clusters ----

    [Fact]
    public void Apply_AddClusterWithExistingId_UpdatesIt()
    {
        var state = Sample.State().Then(new AddCluster(new Cluster { ClusterId = "app", StickySession = true }));

        Assert.True(state.Clusters["app"].StickySession);
        Assert.Equal(1, state.ClusterCount);
    }

    [Fact]
    public void Apply_AddClusterWithEmptyId_IsRefused()
    {
        var error = Sample.State().Refused(new AddCluster(new Cluster { ClusterId = " " }));

        Assert.Contains("cluster_id", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddClusterWithUndefinedLoadBalancing_IsRefused()
    {
        var error = Sample.State().Refused(new AddCluster(new Cluster { ClusterId = "x", LoadBalancing = (LoadBalancingAlgorithm)42 }));

        Assert.Contains("load_balancing", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddClusterWithZeroHealthCheckInterval_IsRefused()
    {
        var error = Sample.State().Refused(new AddCluster(new Cluster { ClusterId = "x", HealthCheck = new HealthCheckConfig { IntervalSeconds = 0 } }));

        Assert.Contains("health_check.interval", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ExpectHeaderOnAClusterWithHttpFrontends_IsRefused_AndTheStateIsUnchanged()
    {
        // Sample.State() routes http frontends to "app": expect_header would do nothing there.
        var state = Sample.State();
        var error = state.Refused(new AddCluster(new Cluster { ClusterId = "app", ProxyProtocol = ProxyProtocolConfig.ExpectHeader }));

        Assert.Contains("expect_header acts on tcp frontends only", error, StringComparison.Ordinal);
        Assert.Null(state.Clusters["app"].ProxyProtocol);
    }

    [Fact]
    public void Apply_HttpFrontendToAnExpectHeaderCluster_IsRefused_SendAndRelayAreAccepted()
    {
        var state = Sample.State().Then(new AddCluster(new Cluster { ClusterId = "l4", ProxyProtocol = ProxyProtocolConfig.ExpectHeader }));

        var error = state.Refused(new AddHttpFrontend(Sample.Front("l4", "l4.example.com")));
        Assert.Contains("cluster 'l4'", error, StringComparison.Ordinal);

        foreach (var acting in new[] { ProxyProtocolConfig.SendHeader, ProxyProtocolConfig.RelayHeader })
        {
            var sending = Sample.State().Then(new AddCluster(new Cluster { ClusterId = "app", ProxyProtocol = acting }));
            Assert.Equal(acting, sending.Clusters["app"].ProxyProtocol);
        }
    }

    [Fact]
    public void Apply_RemoveUnknownCluster_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveCluster("nope"));

        Assert.Contains("'nope'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveCluster_RemovesItsFrontendsAndBackendsOnly()
    {
        var state = Sample.State()
            .Then(new AddCluster(new Cluster { ClusterId = "other" }))
            .Then(new AddBackend(Sample.Backend("o-0", clusterId: "other")))
            .Then(new AddHttpFrontend(Sample.Front("other", "other.example.com")))
            .Then(new AddTcpFrontend(new TcpFrontend { ClusterId = "app", Address = Sample.TcpAddress }))
            .Then(new AddHttpFrontend(Sample.Front(null, "deny.example.com")));

        var after = state.Then(new RemoveCluster("app"));

        Assert.Equal(["other"], after.Clusters.Keys);
        Assert.Equal(1, after.BackendCount);
        Assert.Equal(["other.example.com", "deny.example.com"], after.HttpFrontends.Values.Select(f => f.Hostname).Order(StringComparer.Ordinal).Reverse());
        Assert.Empty(after.TcpFrontends);
    }

    // ---- backends ----

    [Fact]
    public void Apply_AddBackendToMissingCluster_IsRefused()
    {
        var error = Sample.State().Refused(new AddBackend(Sample.Backend(clusterId: "ghost")));

        Assert.Contains("'ghost'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddBackendWithNegativeWeight_IsRefused()
    {
        var error = Sample.State().Refused(new AddBackend(Sample.Backend(weight: -1)));

        Assert.Contains("weight", error, StringComparison.Ordinal);
        Assert.Contains("-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddBackendWithHostnameAddress_IsRefused()
    {
        var error = Sample.State().Refused(new AddBackend(Sample.Backend(address: "localhost:80")));

        Assert.Contains("'localhost:80'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddBackendWithEmptyId_IsRefused()
    {
        var error = Sample.State().Refused(new AddBackend(Sample.Backend(backendId: "")));

        Assert.Contains("backend_id", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddExistingBackendIdAndAddress_UpdatesIt()
    {
        var state = Sample.State().Then(new AddBackend(Sample.Backend(weight: 7)));

        Assert.Equal(1, state.BackendCount);
        Assert.Equal(7, state.BackendsOf("app").Values.Single().Weight);
    }

    [Fact]
    public void Apply_AddExistingBackendIdAtNewAddress_AddsAnotherBackend()
    {
        var state = Sample.State().Then(new AddBackend(Sample.Backend(address: "127.0.0.1:9002")));

        Assert.Equal(2, state.BackendCount);
    }

    [Fact]
    public void Apply_RemoveBackendAtOtherAddress_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveBackend("app", "app-0", "127.0.0.1:9999"));

        Assert.Contains("127.0.0.1:9999", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveBackend_RemovesIt()
    {
        var state = Sample.State().Then(new RemoveBackend("app", "app-0", "127.0.0.1:9001"));

        Assert.Equal(0, state.BackendCount);
        Assert.Empty(state.Backends);
    }

    // ---- listeners ----

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost:80")]
    [InlineData("::1:80")]
    [InlineData("[127.0.0.1]:80")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.1:80")]
    [InlineData("127.0.0.1:+80")]
    public void Apply_AddListenerWithBadAddress_IsRefusedNamingIt(string address)
    {
        var error = ConfigState.Empty.Refused(new AddHttpListener(new HttpListenerConfig { Address = address }));

        Assert.Contains(address, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0:80")]
    [InlineData("[::1]:8080")]
    [InlineData("[::]:443")]
    public void Apply_AddListenerWithCanonicalAddress_Succeeds(string address)
    {
        var state = ConfigState.Empty.Then(new AddTcpListener(new TcpListenerConfig { Address = address }));

        Assert.False(state.Listeners[address].Active);
    }

    [Fact]
    public void Apply_AddListenerAtUsedAddress_IsRefusedWhateverTheProtocol()
    {
        var error = Sample.State().Refused(new AddTcpListener(new TcpListenerConfig { Address = Sample.HttpAddress }));

        Assert.Contains("http listener already exists", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddListenerWithZeroTimeout_IsRefused()
    {
        var error = ConfigState.Empty.Refused(new AddHttpListener(new HttpListenerConfig { Address = Sample.HttpAddress, BackTimeout = 0 }));

        Assert.Contains("back_timeout", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddListenerWithAnswerForNonStatus_IsRefused()
    {
        var listener = new HttpListenerConfig { Address = Sample.HttpAddress, Answers = StringMap.From([new("4044", "HTTP/1.1 404\r\n\r\n")]) };

        var error = ConfigState.Empty.Refused(new AddHttpListener(listener));

        Assert.Contains("'4044'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveListenerStillUsedByFrontends_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveListener(Sample.HttpAddress, ListenerProtocol.Http));

        Assert.Contains("1 frontend", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveListenerOfOtherProtocol_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveListener(Sample.TcpAddress, ListenerProtocol.Http));

        Assert.Contains("is tcp, not http", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveHttpsListener_TakesItsCertificates()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var after = state.Then(new RemoveListener(Sample.HttpsAddress, ListenerProtocol.Https));

        Assert.Equal(0, after.CertificateCount);
        Assert.Empty(after.Certificates);
    }

    [Fact]
    public void Apply_ActivateUnknownListener_IsRefused()
    {
        var error = Sample.State().Refused(new ActivateListener("127.0.0.1:1", ListenerProtocol.Http));

        Assert.Contains("no http listener at address '127.0.0.1:1'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ActivateThenDeactivate_TogglesTheFlag()
    {
        var active = Sample.State().Then(new ActivateListener(Sample.TcpAddress, ListenerProtocol.Tcp));
        var inactive = active.Then(new DeactivateListener(Sample.TcpAddress, ListenerProtocol.Tcp));

        Assert.True(active.Listeners[Sample.TcpAddress].Active);
        Assert.False(inactive.Listeners[Sample.TcpAddress].Active);
        Assert.Equal(Sample.State(), inactive);
    }

    [Fact]
    public void Apply_UpdateHttpListener_PatchesOnlyGivenFields()
    {
        var state = Sample.State().Then(new UpdateHttpListener { Address = Sample.HttpAddress, FrontTimeout = 5, StickyName = "SID" });

        var listener = (HttpListenerConfig)state.Listeners[Sample.HttpAddress].Listener;
        Assert.Equal(5, listener.FrontTimeout);
        Assert.Equal("SID", listener.StickyName);
        Assert.Equal(Defaults.BackTimeoutSeconds, listener.BackTimeout);
    }

    [Fact]
    public void Apply_UpdateListenerToInvalidValue_IsRefused()
    {
        var error = Sample.State().Refused(new UpdateTcpListener { Address = Sample.TcpAddress, ConnectTimeout = -3 });

        Assert.Contains("connect_timeout", error, StringComparison.Ordinal);
        Assert.Contains("-3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UpdateListenerOfOtherProtocol_IsRefused()
    {
        var error = Sample.State().Refused(new UpdateHttpsListener { Address = Sample.HttpAddress, FrontTimeout = 5 });

        Assert.Contains("is http, not https", error, StringComparison.Ordinal);
    }

    // ---- frontends ----

    [Fact]
    public void Apply_AddFrontendWithoutListener_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front(address: "127.0.0.1:1")));

        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddHttpsFrontendOnHttpListener_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpsFrontend(Sample.Front(hostname: "x.example.com")));

        Assert.Contains("is http, not https", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddFrontendForMissingCluster_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front("ghost", "x.example.com")));

        Assert.Contains("'ghost'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddDenyFrontendWithoutCluster_Succeeds()
    {
        var state = Sample.State().Then(new AddHttpFrontend(Sample.Front(null, "blocked.example.com")));

        Assert.Equal(2, state.FrontendCount);
    }

    [Fact]
    public void Apply_AddDuplicateFrontend_IsRefusedEvenForAnotherClusterOrCase()
    {
        var state = Sample.State().Then(new AddCluster(new Cluster { ClusterId = "other" }));

        var error = state.Refused(new AddHttpFrontend(Sample.Front("other", "APP.example.com")));

        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Contains("'app'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddFrontendOnSameHostWithOtherPath_Succeeds()
    {
        var state = Sample.State().Then(new AddHttpFrontend(Sample.Front() with { Path = PathRule.Prefix("/api") }));

        Assert.Equal(2, state.HttpFrontends.Count);
    }

    [Theory]
    [InlineData("a.*.example.com")]
    [InlineData("**.example.com")]
    [InlineData("*.")]
    [InlineData("a b.example.com")]
    [InlineData("-a.example.com")]
    [InlineData("a..example.com")]
    [InlineData("")]
    public void Apply_AddFrontendWithBadHostname_IsRefused(string hostname)
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front(hostname: hostname)));

        Assert.Contains("hostname", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddFrontendWithUncompilableRegex_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front() with { Path = PathRule.Regex("/api/(") }));

        Assert.Contains("'/api/('", error, StringComparison.Ordinal);
        Assert.Contains("regex", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddFrontendWithPrefixNotStartingWithSlash_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front() with { Path = PathRule.Prefix("api") }));

        Assert.Contains("path.value 'api'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddFrontendWithBadMethod_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front() with { Method = "GE T" }));

        Assert.Contains("method 'GE T'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddHttpFrontendWithHsts_IsRefused()
    {
        var error = Sample.State().Refused(new AddHttpFrontend(Sample.Front(hostname: "x.example.com") with { Hsts = new HstsConfig() }));

        Assert.Contains("hsts", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveMissingFrontend_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveHttpFrontend(Sample.Front(hostname: "missing.example.com")));

        Assert.Contains("missing.example.com", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveFrontendNamingAnotherCluster_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveHttpFrontend(Sample.Front("other")));

        Assert.Contains("not cluster 'other'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveFrontend_IgnoresTags()
    {
        var state = Sample.State().Then(new RemoveHttpFrontend(Sample.Front() with { Tags = StringMap.From([new("k", "v")]) }));

        Assert.Equal(0, state.FrontendCount);
    }

    [Fact]
    public void Apply_SecondTcpFrontendOnOneListener_IsRefused()
    {
        var state = Sample.State()
            .Then(new AddCluster(new Cluster { ClusterId = "db" }))
            .Then(new AddTcpFrontend(new TcpFrontend { ClusterId = "app", Address = Sample.TcpAddress }));

        var error = state.Refused(new AddTcpFrontend(new TcpFrontend { ClusterId = "db", Address = Sample.TcpAddress }));

        Assert.Contains("already routes to cluster 'app'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_TcpFrontendOnHttpListener_IsRefused()
    {
        var error = Sample.State().Refused(new AddTcpFrontend(new TcpFrontend { ClusterId = "app", Address = Sample.HttpAddress }));

        Assert.Contains("is http, not tcp", error, StringComparison.Ordinal);
    }

    // ---- bad input of any shape ----

    [Fact]
    public void Apply_NullRequest_IsRefused()
    {
        var error = Sample.State().Refused(null!);

        Assert.Contains("null", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RequestWithNullPayload_IsRefusedWithoutThrowing()
    {
        var state = Sample.State();

        state.Refused(new AddBackend(null!));
        state.Refused(new AddHttpFrontend(null!));
        state.Refused(new AddCluster(null!));
        state.Refused(new AddHttpListener(null!));
        state.Refused(new AddCertificate(null!, null!));
        state.Refused(new RemoveBackend(null!, null!, null!));
        state.Refused(new ReplaceCertificate(Sample.HttpsAddress, null!, null!));
        state.Refused(new AddHttpFrontend(Sample.Front() with { Path = null! }));
    }

    [Fact]
    public void Apply_ErrorNamesTheRequestType()
    {
        var error = Sample.State().Refused(new RemoveCluster("nope"));

        Assert.StartsWith("remove_cluster: ", error, StringComparison.Ordinal);
    }
}
