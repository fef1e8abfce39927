using System.Text;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Http1.Proxying;

public class HttpRobustnessTests
{
    [Fact(Timeout = 60_000)]
    public async Task ConcurrentKeepAliveClients_SharingThePool_EachGetTheirOwnAnswers()
    {
        using var backend = new HttpBackend((request, stream) => HttpBackend.Respond(stream, 200, $"{request.Target}:{request.BodyText}"));
        using var harness = WorkerHarness.Start(new() { MaxBuffers = 256, BufferSize = 16384 }, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();

        var clients = Enumerable.Range(0, 16).Select(c => Task.Run(() =>
        {
            using var client = HttpClientConnection.Open(address);
            for (var i = 0; i < 200; i++)
            {
                var body = $"c{c}-r{i}";
                client.Send($"POST /c{c}/{i} HTTP/1.1\r\nHost: app.test\r\nContent-Length: {body.Length}\r\n\r\n{body}");
                Assert.Equal($"/c{c}/{i}:{body}", client.Response().BodyText);
            }
        }));
        await Task.WhenAll(clients);

        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(16 * 200, metrics.Global.Status2xx);
        Assert.True(backend.Connections <= 16, $"{backend.Connections} backend connections for 16 clients");
        await Worker.LimitsTests.WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).BuffersInUse == 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task RandomGarbageFromClients_NeverHurtsTheWorker()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        var random = new Random(1234);
        var prefixes = new[] { "", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: app.test\r\n", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n" };

        for (var i = 0; i < 60; i++)
        {
            using var client = HttpClientConnection.Open(address);
            var garbage = new byte[random.Next(1, 3000)];
            random.NextBytes(garbage);
            client.Send(Encoding.ASCII.GetBytes(prefixes[i % prefixes.Length]));
            client.Send(garbage);
            client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            // Whatever it answers (400, 408, nothing), the connection ends within the timeouts.
            Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(5)));
        }

        using var healthy = HttpClientConnection.Open(address);
        Assert.Equal(200, healthy.Get("app.test", "/").Status);
        await Worker.LimitsTests.WaitFor(async () =>
        {
            var metrics = await harness.Worker.QueryMetricsAsync();
            return metrics.BuffersInUse == 0 && metrics.Sessions <= 1;
        });
    }
}
