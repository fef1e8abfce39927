using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

public class ConfigStateHashTests
{
    private static ConfigState TwoClusters() => Sample.State()
        .Then(new AddCluster(new Cluster { ClusterId = "api" }))
        .Then(new AddBackend(Sample.Backend("api-0", "127.0.0.1:9101", "api")))
        .Then(new AddHttpFrontend(Sample.Front("api", "api.example.com")));

    [Fact]
    public void ClusterHash_IsTheSameInEveryRun()
    {
        // A golden value: external tools compare hashes across supervisor restarts and
        // upgrades, so a change to the canonical form must be deliberate.
        Assert.Equal(0xE4FEC938410A99DBUL, Sample.State().ClusterHash("app"));
    }

    [Fact]
    public void ClusterHash_DoesNotDependOnTheOrderOfRequests()
    {
        var other = ConfigState.Empty.ApplyAll(TwoClusters().ToRequests().Reverse().Where(r => r is AddCluster or AddHttpListener or AddHttpsListener or AddTcpListener)
            .Concat(TwoClusters().ToRequests().Where(r => r is AddBackend or AddHttpFrontend).Reverse()));

        Assert.True(other.IsOk, other.Error);
        Assert.Equal(TwoClusters().ClusterHashes(), other.State.ClusterHashes());
    }

    [Fact]
    public void ClusterHash_ChangesWithABackendOfTheClusterOnly()
    {
        var before = TwoClusters();
        var after = before.Then(new AddBackend(Sample.Backend("api-0", "127.0.0.1:9101", "api", weight: 5)));

        Assert.NotEqual(before.ClusterHash("api"), after.ClusterHash("api"));
        Assert.Equal(before.ClusterHash("app"), after.ClusterHash("app"));
    }

    [Fact]
    public void ClusterHash_ChangesWithAFrontendTag()
    {
        var before = TwoClusters();
        var after = before
            .Then(new RemoveHttpFrontend(Sample.Front("api", "api.example.com")))
            .Then(new AddHttpFrontend(Sample.Front("api", "api.example.com") with { Tags = Collections.StringMap.From([new("team", "x")]) }));

        Assert.NotEqual(before.ClusterHash("api"), after.ClusterHash("api"));
    }

    [Fact]
    public void ClusterHash_ChangesWithTheClusterSettings()
    {
        var before = TwoClusters();
        var after = before.Then(new AddCluster(new Cluster { ClusterId = "api", HttpsRedirect = true }));

        Assert.NotEqual(before.ClusterHash("api"), after.ClusterHash("api"));
    }

    [Fact]
    public void ClusterHashes_AgreeWithClusterHash()
    {
        var state = TwoClusters();

        Assert.Equal(state.Clusters.Keys.Select(id => new ClusterHashExpectation(id, state.ClusterHash(id))), state.ClusterHashes().Select(h => new ClusterHashExpectation(h.ClusterId, h.Hash)));
    }

    [Fact]
    public void ClusterHash_UnknownCluster_IsZero() => Assert.Equal(0UL, Sample.State().ClusterHash("nope"));

    private sealed record ClusterHashExpectation(string Id, ulong Hash);
}
