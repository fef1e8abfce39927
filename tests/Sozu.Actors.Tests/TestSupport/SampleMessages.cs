using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.TestSupport;

/// <summary>Realistic Sozu messages, with lists, maps, nullables and polymorphic requests.</summary>
public static class SampleMessages
{
    public static HttpFrontend Frontend(int i = 0) => new()
    {
        ClusterId = $"cluster-{i}",
        Address = "127.0.0.1:8080",
        Hostname = $"app{i}.example.com",
        Path = PathRule.Prefix($"/api/{i}"),
        Method = i % 2 == 0 ? null : "GET",
        Position = RulePosition.Tree,
        Tags = StringMap.From([new("owner", "team-" + i), new("env", "prod")]),
    };

    public static WorkerRequest Request(int i = 0) => new($"req-{i}", new AddHttpFrontend(Frontend(i)));

    public static Cluster Cluster(int i = 0) => new()
    {
        ClusterId = $"cluster-{i}",
        LoadBalancing = LoadBalancingAlgorithm.LeastLoaded,
        StickySession = true,
        MaxConnectionsPerIp = 12,
        Answer503 = "HTTP/1.1 503 Busy\r\n\r\n",
    };

    public static Backend Backend(int i = 0) => new()
    {
        ClusterId = $"cluster-{i}",
        BackendId = $"backend-{i}",
        Address = $"127.0.0.1:{9000 + i}",
        Weight = 50,
        Backup = i % 3 == 0,
    };
}
