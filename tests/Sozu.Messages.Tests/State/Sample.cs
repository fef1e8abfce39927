using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

/// <summary>Small valid building blocks for state tests.</summary>
internal static class Sample
{
    public const string HttpAddress = "127.0.0.1:8080";
    public const string HttpsAddress = "127.0.0.1:8443";
    public const string TcpAddress = "127.0.0.1:9000";

    public static HttpFrontend Front(string? clusterId = "app", string hostname = "app.example.com", string address = HttpAddress) =>
        new() { ClusterId = clusterId, Address = address, Hostname = hostname };

    public static Backend Backend(string backendId = "app-0", string address = "127.0.0.1:9001", string clusterId = "app", int weight = 100) =>
        new() { ClusterId = clusterId, BackendId = backendId, Address = address, Weight = weight };

    /// <summary>An http, an https and a tcp listener, cluster "app" with one backend and one http frontend.</summary>
    public static ConfigState State()
    {
        var result = ConfigState.Empty.ApplyAll(
        [
            new AddHttpListener(new HttpListenerConfig { Address = HttpAddress }),
            new AddHttpsListener(new HttpsListenerConfig { Address = HttpsAddress }),
            new AddTcpListener(new TcpListenerConfig { Address = TcpAddress }),
            new AddCluster(new Cluster { ClusterId = "app" }),
            new AddBackend(Backend()),
            new AddHttpFrontend(Front()),
        ]);
        Assert.True(result.IsOk, result.Error);
        return result.State;
    }

    /// <summary>Applies and asserts success.</summary>
    public static ConfigState Then(this ConfigState state, ConfigRequest request)
    {
        var result = state.Apply(request);
        Assert.True(result.IsOk, result.Error);
        return result.State;
    }

    /// <summary>Applies, asserts the refusal left the very same state, and returns the message.</summary>
    public static string Refused(this ConfigState state, ConfigRequest request)
    {
        var result = state.Apply(request);
        Assert.False(result.IsOk, $"{request} was accepted");
        Assert.Same(state, result.State);
        return result.Error!;
    }
}
