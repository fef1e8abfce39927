using System.Net;
using System.Net.Sockets;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Http1.Proxying;

/// <summary>Every answer the proxy gives itself, each provoked for real.</summary>
public class HttpAnswerTests
{
    [Fact(Timeout = 20_000)]
    public async Task NoMatchingFrontend_Answers404_AndTheConnectionGoesOn()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        var notFound = client.Get("nobody.test", "/");
        Assert.Equal(404, notFound.Status);
        Assert.Equal(200, client.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task Answer503_ClosesTheConnectionAfterwards()
    {
        await Task.Yield();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", []));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        Assert.Equal(503, client.Get("app.test", "/").Status);
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(3)));
    }

    [Fact(Timeout = 20_000)]
    public async Task ClusterWithoutBackends_Answers503()
    {
        await Task.Yield();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", []));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        Assert.Equal(503, client.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task ClusterAnswer503_ReplacesTheListenerOne()
    {
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", []));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", Answer503 = "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy" }));
        using var client = HttpClientConnection.Open(address);

        var response = client.Get("app.test", "/");
        Assert.Equal(503, response.Status);
        Assert.Equal("busy", response.BodyText);
    }

    [Fact(Timeout = 20_000)]
    public async Task BackendRefusesConnections_Answers502()
    {
        await Task.Yield();
        using var dead = new ClosedPort();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [dead.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        Assert.Equal(502, client.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task DeadBackend_RetriedOnAnother_ClientSeesSuccess()
    {
        await Task.Yield();
        using var alive = new HttpBackend();
        using var dead = new ClosedPort();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [dead.Address, alive.Address]));
        var address = harness.BoundAddress();

        for (var i = 0; i < 4; i++)
        {
            using var client = HttpClientConnection.Open(address);
            Assert.Equal(200, client.Get("app.test", "/").Status);
        }
    }

    [Fact(Timeout = 20_000)]
    public async Task BackendTooSlow_Answers504AfterBackTimeout()
    {
        await Task.Yield();
        using var slow = new HttpBackend((request, stream) => Thread.Sleep(4000));
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [slow.Address], timeoutSeconds: 5, backTimeoutSeconds: 1));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        var started = Environment.TickCount64;

        // 504 (not the backend's 200 after 4 s) shows the back timeout fired; not before 1 s is
        // behaviour, a bound above would only measure the machine's speed.
        Assert.Equal(504, client.Get("app.test", "/").Status);
        Assert.True(Environment.TickCount64 - started >= 900, "answered before the back timeout");
    }

    [Fact(Timeout = 20_000)]
    public async Task ClientTooSlowToSendItsHead_Answers408AfterRequestTimeout()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET / HTTP/1.1\r\nHost: app");
        Assert.Equal(408, client.Response().Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task MalformedRequest_Answers400()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET / HTTP/1.1\r\nHost: app.test\r\nBad Header Without Colon\r\n\r\n");
        Assert.Equal(400, client.Response().Status);
        Assert.Empty(backend.Requests);
    }

    [Fact(Timeout = 20_000)]
    public async Task HeadersLargerThanTheBuffer_Answer431()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send($"GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        Assert.Equal(431, client.Response().Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task DenyFrontend_Answers401()
    {
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", []));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddHttpFrontend(new HttpFrontend { ClusterId = null, Address = WorkerHarness.AnyPort, Hostname = "app.test", Path = PathRule.Prefix("/admin") }));
        using var client = HttpClientConnection.Open(address);

        Assert.Equal(401, client.Get("app.test", "/admin/x").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task HttpsRedirectCluster_Answers301ToTheHttpsUrl()
    {
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", []));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", HttpsRedirect = true }));
        using var client = HttpClientConnection.Open(address);

        var response = client.Get("app.test:8080", "/path?q=1");
        Assert.Equal(301, response.Status);
        Assert.Equal("https://app.test/path?q=1", response.Header("Location"));
    }

    [Fact(Timeout = 20_000)]
    public async Task ListenerAnswers_ReplaceTheBuiltInOnes()
    {
        await Task.Yield();
        var answers = StringMap.From([new("404", "HTTP/1.1 404 Not Found\nContent-Length: 7\nConnection: close\n\nno such")]);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [], answers: answers));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        Assert.Equal("no such", client.Get("nobody.test", "/").BodyText);
    }

    [Fact]
    public void ListenerAnswer_NotHttp_IsRefusedWithAClearError()
    {
        var answers = StringMap.From([new("404", "not an answer")]);
        var error = Assert.Throws<ArgumentException>(() => WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [], answers: answers)));
        Assert.Contains("answer 404", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task StalePooledConnection_IsRetriedOnce_Transparently()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        Assert.Equal(200, client.Get("app.test", "/one").Status);

        backend.DropConnections();
        Assert.Equal(200, client.Get("app.test", "/two").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task BackendHangsOnConnect_ConnectTimeoutThen502()
    {
        await Task.Yield();
        // A listener that never accepts: once its backlog is full, SYNs are dropped and connects hang.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        var fullAddress = full.LocalEndPoint!.ToString()!;
        var fillers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                filler.Connect(full.LocalEndPoint!);
            }
            catch (SocketException)
            {
            }
            fillers.Add(filler);
        }
        Thread.Sleep(200);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [fullAddress]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        var started = Environment.TickCount64;

        Assert.Equal(502, client.Get("app.test", "/").Status);
        Assert.True(Environment.TickCount64 - started >= 900, "answered before the connect timeout");
        foreach (var filler in fillers)
        {
            filler.Dispose();
        }
    }
}
