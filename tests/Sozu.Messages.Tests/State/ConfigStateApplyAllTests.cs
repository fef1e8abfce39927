using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

public class ConfigStateApplyAllTests
{
    [Fact]
    public void ApplyAll_OneBadRequest_AppliesNothingAndNamesIndexAndType()
    {
        var state = Sample.State();

        var result = state.ApplyAll(
        [
            new AddCluster(new Cluster { ClusterId = "new" }),
            new AddBackend(Sample.Backend("n-0", clusterId: "new")),
            new AddBackend(Sample.Backend("n-1", clusterId: "missing")),
            new AddCluster(new Cluster { ClusterId = "never" }),
        ]);

        Assert.False(result.IsOk);
        Assert.Same(state, result.State);
        Assert.StartsWith("request 2 (add_backend): ", result.Error, StringComparison.Ordinal);
        Assert.Contains("'missing'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyAll_LaterRequestsSeeEarlierOnes()
    {
        var result = Sample.State().ApplyAll(
        [
            new AddCluster(new Cluster { ClusterId = "new" }),
            new AddBackend(Sample.Backend("n-0", clusterId: "new")),
            new RemoveCluster("new"),
        ]);

        Assert.True(result.IsOk, result.Error);
        Assert.Equal(Sample.State(), result.State);
    }

    [Fact]
    public void ApplyAll_Empty_ReturnsTheSameState()
    {
        var state = Sample.State();

        var result = state.ApplyAll([]);

        Assert.True(result.IsOk);
        Assert.Same(state, result.State);
    }

    [Fact]
    public void ApplyAll_NullList_IsRefused()
    {
        var result = Sample.State().ApplyAll(null!);

        Assert.False(result.IsOk);
    }

    [Fact]
    public void ApplyAll_NullRequestInList_IsRefusedNamingItsIndex()
    {
        var result = Sample.State().ApplyAll([new AddCluster(new Cluster { ClusterId = "x" }), null!]);

        Assert.StartsWith("request 1 (null)", result.Error, StringComparison.Ordinal);
    }
}
