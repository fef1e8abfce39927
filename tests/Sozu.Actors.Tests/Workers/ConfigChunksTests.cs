using Sozu.Actors.Workers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Tests.Workers;

public sealed class ConfigChunksTests
{
    private static List<ConfigRequest> Clusters(int count)
    {
        var requests = new List<ConfigRequest>(count);
        for (var i = 0; i < count; i++)
        {
            requests.Add(new AddCluster(new Cluster { ClusterId = "c" + i }));
        }
        return requests;
    }

    [Fact]
    public void Split_Empty_GivesOneEmptyPiece()
    {
        var pieces = ConfigChunks.Split([]);

        Assert.Empty(Assert.Single(pieces));
    }

    [Fact]
    public void Split_KeepsEveryRequestInOrderAndEachPieceWithinTheBudget()
    {
        var requests = Clusters(10_000);
        const int Budget = 64 * 1024;

        var pieces = ConfigChunks.Split(requests, Budget);

        Assert.Equal(requests, pieces.SelectMany(p => p));
        Assert.All(pieces, p => Assert.InRange(p.Sum(ConfigChunks.EstimateBytes), 1, Budget));
        Assert.Equal((10_000 * ConfigChunks.BaseBytes + Budget - 1) / Budget, pieces.Count);
    }

    [Fact]
    public void Split_ARequestLargerThanTheBudget_IsAPieceOfItsOwn()
    {
        var big = new AddHttpListener(new HttpListenerConfig
        {
            Address = "127.0.0.1:8080",
            Answers = Sozu.Messages.Collections.StringMap.From([new("404", new string('x', 10_000))]),
        });
        List<ConfigRequest> requests = [.. Clusters(2), big, .. Clusters(2)];

        var pieces = ConfigChunks.Split(requests, 4096);

        Assert.Equal([2, 1, 2], pieces.Select(p => p.Count));
        Assert.Same(big, pieces[1][0]);
        Assert.True(ConfigChunks.EstimateBytes(big) > 30_000, "an answer page counts at up to 3 bytes a character");
    }
}
