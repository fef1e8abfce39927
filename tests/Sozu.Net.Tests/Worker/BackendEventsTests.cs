using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Worker;

public class BackendEventsTests
{
    [Fact(Timeout = 30_000)]
    public async Task DeadBackend_GoesDown_NoneAvailable_ThenUpOnceItListens()
    {
        await Task.Yield();
        var deadPort = FreePort.Next();
        var dead = $"127.0.0.1:{deadPort}";
        var address = FreePort.Address();
        var events = new ConcurrentQueue<Event>();
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions(), WorkerHarness.HttpProxy(address, "app", [dead], timeoutSeconds: 5));
        worker.Events = events.Enqueue;
        worker.ActivateAllListeners();
        worker.StartThread();

        for (var i = 0; i < 3; i++)
        {
            using var client = HttpClientConnection.Open(address);
            Assert.Equal(502, client.Get("app.test", "/").Status);
        }
        using (var client = HttpClientConnection.Open(address))
        {
            Assert.Equal(503, client.Get("app.test", "/").Status);
        }
        Assert.Contains(events, e => e.Kind == EventKind.BackendDown && e.BackendId == "app-0" && e.Address == dead);
        Assert.Contains(events, e => e.Kind == EventKind.NoAvailableBackends && e.ClusterId == "app");

        using var revived = new TcpListener(IPAddress.Loopback, deadPort);
        revived.Start();
        var serve = Task.Run(() =>
        {
            using var connection = revived.AcceptTcpClient();
            var stream = connection.GetStream();
            new HttpReader(stream).ReadHead();
            HttpBackend.Respond(stream, 200, "back");
        });
        // The back-off after the third failure is 1 s.
        await Task.Delay(1200);
        using (var client = HttpClientConnection.Open(address))
        {
            Assert.Equal("back", client.Get("app.test", "/").BodyText);
        }
        await serve;
        Assert.Contains(events, e => e.Kind == EventKind.BackendUp && e.BackendId == "app-0");
    }

    [Fact(Timeout = 20_000)]
    public async Task RemovedBackend_RaisesHasNoConnections_OnceItsLastExchangeEnds()
    {
        await Task.Yield();
        var proceed = new ManualResetEventSlim();
        using var backend = new HttpBackend((request, stream) =>
        {
            proceed.Wait(TimeSpan.FromSeconds(10));
            HttpBackend.Ok(request, stream);
        });
        var address = FreePort.Address();
        var events = new ConcurrentQueue<Event>();
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions(), WorkerHarness.HttpProxy(address, "app", [backend.Address], timeoutSeconds: 5, backTimeoutSeconds: 5));
        worker.Events = events.Enqueue;
        worker.ActivateAllListeners();
        worker.StartThread();
        using var client = HttpClientConnection.Open(address);
        client.Send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
        await LimitsTests.WaitFor(() => Task.FromResult(!backend.Requests.IsEmpty));

        Assert.True((await worker.ApplyAsync(new RemoveBackend("app", "app-0", backend.Address))).Ok);
        Assert.DoesNotContain(events, e => e.Kind == EventKind.RemovedBackendHasNoConnections);
        proceed.Set();
        Assert.Equal(200, client.Response().Status);
        await LimitsTests.WaitFor(() => Task.FromResult(events.Any(e => e.Kind == EventKind.RemovedBackendHasNoConnections)));
    }
}
