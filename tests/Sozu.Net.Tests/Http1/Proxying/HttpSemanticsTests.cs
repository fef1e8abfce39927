using System.Net;
using System.Net.Sockets;
using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Http1.Proxying;

public class HttpSemanticsTests
{
    [Fact(Timeout = 20_000)]
    public async Task CloseDelimitedResponse_IsStreamedUntilTheBackendCloses_ThenTheClientIsClosed()
    {
        await Task.Yield();
        using var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        var serve = Task.Run(() =>
        {
            using var connection = origin.AcceptTcpClient();
            var stream = connection.GetStream();
            new HttpReader(stream).ReadHead();
            stream.Write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"u8);
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [origin.LocalEndpoint.ToString()!], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        var response = client.Get("app.test", "/");
        await serve;
        Assert.Equal("until the end", response.BodyText);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact(Timeout = 20_000)]
    public async Task ClientConnectionClose_IsHiddenFromTheBackend_AndHonouredTowardsTheClient()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        var response = client.Get("app.test", "/", "Connection: close\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(2)));
        Assert.True(backend.Requests.TryDequeue(out var seen));
        Assert.False(seen.HasToken("Connection", "close"));

        // The backend connection went back to the pool: the next client reuses it.
        using var next = HttpClientConnection.Open(address);
        Assert.Equal(200, next.Get("app.test", "/").Status);
        Assert.Equal(1, backend.Connections);
    }

    [Fact(Timeout = 20_000)]
    public async Task Http10Client_KeepAliveAsked_IsToldKeepAlive()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET /one HTTP/1.0\r\nHost: app.test\r\nConnection: keep-alive\r\n\r\n");
        var first = client.Response();
        Assert.Equal("keep-alive", first.Header("Connection"));
        client.Send("GET /two HTTP/1.0\r\nHost: app.test\r\n\r\n");
        Assert.Equal("GET /two", client.Response().BodyText);
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 20_000)]
    public async Task StickySession_CookieSetOnFirstResponse_ThenFollowed()
    {
        using var a = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "a"));
        using var b = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "b"));
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address, b.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", StickySession = true }));
        using var client = HttpClientConnection.Open(address);

        var first = client.Get("app.test", "/");
        var cookie = first.Header("Set-Cookie");
        Assert.NotNull(cookie);
        Assert.StartsWith("SOZUBALANCEID=app-", cookie, StringComparison.Ordinal);
        var value = cookie!.Split(';')[0];
        for (var i = 0; i < 4; i++)
        {
            var response = client.Get("app.test", "/", $"Cookie: {value}\r\n");
            Assert.Equal(first.BodyText, response.BodyText);
            Assert.Null(response.Header("Set-Cookie"));
        }
    }

    [Fact(Timeout = 20_000)]
    public async Task BackendDiesMidBody_ClientConnectionIsClosed_NotAnsweredTwice()
    {
        await Task.Yield();
        using var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        var serve = Task.Run(() =>
        {
            using var connection = origin.AcceptTcpClient();
            var stream = connection.GetStream();
            new HttpReader(stream).ReadHead();
            stream.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"u8);
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [origin.LocalEndpoint.ToString()!], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
        var head = client.Reader.ReadHead();
        await serve;
        Assert.Equal(200, head!.Status);
        Assert.Equal("only part", Encoding.ASCII.GetString(client.Reader.ReadToEnd()));
    }
}
