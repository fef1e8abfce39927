using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

public class ConfigStateDiffTests
{
    [Fact]
    public void Diff_OneBackendAdded_IsExactlyThatRequest()
    {
        var from = Sample.State();
        var add = new AddBackend(Sample.Backend("app-1", "127.0.0.1:9002"));

        Assert.Equal([add], ConfigState.Diff(from, from.Then(add)));
    }

    [Fact]
    public void Diff_BackendWeightChanged_IsOneAddBackend()
    {
        var from = Sample.State();
        var to = from.Then(new AddBackend(Sample.Backend(weight: 1)));

        Assert.Equal([new AddBackend(Sample.Backend(weight: 1))], ConfigState.Diff(from, to));
    }

    [Fact]
    public void Diff_ListenerTimeoutChanged_IsAnUpdateCarryingOnlyThatField()
    {
        var from = Sample.State();
        var to = from.Then(new UpdateHttpListener { Address = Sample.HttpAddress, BackTimeout = 9 });

        var request = Assert.IsType<UpdateHttpListener>(Assert.Single(ConfigState.Diff(from, to)));

        Assert.Equal(new UpdateHttpListener { Address = Sample.HttpAddress, BackTimeout = 9 }, request);
    }

    [Fact]
    public void Diff_ListenerChangingProtocol_RebuildsItAroundItsFrontends()
    {
        var from = Sample.State().Then(new ActivateListener(Sample.HttpAddress, ListenerProtocol.Http));
        var to = from
            .Then(new RemoveHttpFrontend(Sample.Front()))
            .Then(new DeactivateListener(Sample.HttpAddress, ListenerProtocol.Http))
            .Then(new RemoveListener(Sample.HttpAddress, ListenerProtocol.Http))
            .Then(new AddHttpsListener(new HttpsListenerConfig { Address = Sample.HttpAddress }))
            .Then(new AddHttpsFrontend(Sample.Front()))
            .Then(new ActivateListener(Sample.HttpAddress, ListenerProtocol.Https));

        var requests = ConfigState.Diff(from, to);

        Assert.Equal(
            [
                typeof(RemoveHttpFrontend), typeof(DeactivateListener), typeof(RemoveListener),
                typeof(AddHttpsListener), typeof(AddHttpsFrontend), typeof(ActivateListener),
            ],
            requests.Select(r => r.GetType()));
    }

    [Fact]
    public void Diff_PublicAddressUnset_RebuildsTheListenerWithItsFrontends()
    {
        var from = ConfigState.Empty
            .Then(new AddHttpListener(new HttpListenerConfig { Address = Sample.HttpAddress, PublicAddress = "10.0.0.1:80" }))
            .Then(new AddCluster(new Cluster { ClusterId = "app" }))
            .Then(new AddHttpFrontend(Sample.Front()));
        var to = ConfigState.Empty
            .Then(new AddHttpListener(new HttpListenerConfig { Address = Sample.HttpAddress }))
            .Then(new AddCluster(new Cluster { ClusterId = "app" }))
            .Then(new AddHttpFrontend(Sample.Front()));

        var requests = ConfigState.Diff(from, to);

        Assert.Equal(
            [typeof(RemoveHttpFrontend), typeof(RemoveListener), typeof(AddHttpListener), typeof(AddHttpFrontend)],
            requests.Select(r => r.GetType()));
        Assert.Equal(to, from.ApplyAll(requests).State);
    }

    [Fact]
    public void Diff_CertificateSwapped_IsAReplaceSoTheListenerIsNeverWithoutOne()
    {
        var from = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));
        var to = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.B));

        var replace = Assert.IsType<ReplaceCertificate>(Assert.Single(ConfigState.Diff(from, to)));

        Assert.Equal(TestCertificates.FingerprintOf(TestCertificates.A), replace.OldFingerprint);
    }

    [Fact]
    public void Diff_ClusterRemoved_RemovesItsFrontendsAndBackendsFirst()
    {
        var from = Sample.State();
        var to = from.Then(new RemoveCluster("app"));

        Assert.Equal(
            [typeof(RemoveHttpFrontend), typeof(RemoveBackend), typeof(RemoveCluster)],
            ConfigState.Diff(from, to).Select(r => r.GetType()));
    }

    [Fact]
    public void ToRequests_AddsListenersThenClustersThenBackendsThenCertificatesThenFrontendsThenActivates()
    {
        var state = Sample.State()
            .Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A))
            .Then(new ActivateListener(Sample.HttpsAddress, ListenerProtocol.Https));

        Assert.Equal(
            [
                typeof(AddHttpListener), typeof(AddHttpsListener), typeof(AddTcpListener), typeof(AddCluster),
                typeof(AddBackend), typeof(AddCertificate), typeof(AddHttpFrontend), typeof(ActivateListener),
            ],
            state.ToRequests().Select(r => r.GetType()));
    }
}
