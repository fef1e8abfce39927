using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Backends;

public class StickySessionTests
{
    private static ConfigRequest[] StickyProxy(string address, params HttpBackend[] backends)
    {
        var requests = new List<ConfigRequest>(WorkerHarness.HttpProxy(address, "app", [.. backends.Select(b => b.Address)], timeoutSeconds: 5))
        {
            new AddCluster(new Cluster { ClusterId = "app", StickySession = true }),
        };
        return [.. requests];
    }

    [Fact(Timeout = 20_000)]
    public async Task Cookie_IsSetOnce_ThenEveryRequestCarryingItGoesToItsBackend()
    {
        await Task.Yield();
        using var a = HttpBackend.Named("app-0");
        using var b = HttpBackend.Named("app-1");
        using var harness = WorkerHarness.Start(null, StickyProxy(WorkerHarness.AnyPort, a, b));
        var address = harness.BoundAddress();

        // Without a cookie: round robin, and each answer names its backend in the cookie.
        for (var i = 0; i < 4; i++)
        {
            using var client = HttpClientConnection.Open(address);
            var response = client.Get("app.test", "/");
            Assert.Equal($"SOZUBALANCEID={response.BodyText}; Path=/", response.Header("Set-Cookie"));
        }
        using var sticky = HttpClientConnection.Open(address);
        for (var i = 0; i < 20; i++)
        {
            var response = sticky.Get("app.test", "/", "Cookie: theme=dark; SOZUBALANCEID=app-1\r\n");
            Assert.Equal("app-1", response.BodyText);
            Assert.Null(response.Header("Set-Cookie"));
        }
        // The backend does not see the proxy's cookie, only the application's.
        Assert.All(b.Requests.TakeLast(20), r => Assert.Equal("theme=dark", r.Header("Cookie")));
    }

    [Fact(Timeout = 20_000)]
    public async Task CookieOfARemovedBackend_FallsBackToTheAlgorithm_AndResetsTheCookie()
    {
        using var a = HttpBackend.Named("app-0");
        using var b = HttpBackend.Named("app-1");
        using var harness = WorkerHarness.Start(null, StickyProxy(WorkerHarness.AnyPort, a, b));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new RemoveBackend("app", "app-1", b.Address));

        using var client = HttpClientConnection.Open(address);
        var response = client.Get("app.test", "/", "Cookie: SOZUBALANCEID=app-1\r\n");
        Assert.Equal("app-0", response.BodyText);
        Assert.Equal("SOZUBALANCEID=app-0; Path=/", response.Header("Set-Cookie"));
    }

    [Fact(Timeout = 20_000)]
    public async Task CookieOfADeadBackend_IsServedElsewhere_AndTheCookieFollows()
    {
        await Task.Yield();
        using var a = HttpBackend.Named("app-0");
        var b = HttpBackend.Named("app-1");
        using var harness = WorkerHarness.Start(null, StickyProxy(WorkerHarness.AnyPort, a, b));
        var address = harness.BoundAddress();
        b.Dispose();

        // The cookie's backend is still "up" for the worker: the connect fails, the retry goes to a, and the cookie must say so.
        using var client = HttpClientConnection.Open(address);
        var response = client.Get("app.test", "/", "Cookie: SOZUBALANCEID=app-1\r\n");
        Assert.Equal("app-0", response.BodyText);
        Assert.Equal("SOZUBALANCEID=app-0; Path=/", response.Header("Set-Cookie"));
    }
}
