using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Backends;

public class DrainTests
{
    [Fact(Timeout = 60_000)]
    public async Task RemovedBackend_FinishesItsExchange_TakesNoNewOne_ThenReportsNoConnections()
    {
        using var gate = new ManualResetEventSlim(false);
        using var a = new HttpBackend((request, stream) =>
        {
            if (request.Target == "/slow")
            {
                gate.Wait(TimeSpan.FromSeconds(20));
            }
            HttpBackend.Respond(stream, 200, "a");
        });
        using var b = HttpBackend.Named("b");
        var events = new EventRecorder();
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address, b.Address], timeoutSeconds: 5, backTimeoutSeconds: 30));
        var address = harness.BoundAddress();
        try
        {
            // Round robin starts with the first backend: the slow request goes to a.
            var slow = Task.Run(() =>
            {
                using var client = HttpClientConnection.Open(address);
                client.Stream.ReadTimeout = 30_000;
                return client.Get("app.test", "/slow");
            });
            var deadline = Environment.TickCount64 + 10_000;
            while (a.Requests.IsEmpty && Environment.TickCount64 < deadline)
            {
                await Task.Delay(10);
            }
            Assert.Single(a.Requests);

            await harness.ApplyOk(new RemoveBackend("app", "app-0", a.Address));
            using (var client = HttpClientConnection.Open(address))
            {
                for (var i = 0; i < 20; i++)
                {
                    Assert.Equal("b", client.Get("app.test", "/").BodyText);
                }
            }
            await Task.Delay(200);
            Assert.Equal(0, events.Count(EventKind.RemovedBackendHasNoConnections));

            gate.Set();
            var response = await slow.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(200, response.Status);
            Assert.Equal("a", response.BodyText);
            var drained = events.WaitFor(EventKind.RemovedBackendHasNoConnections, "app-0");
            Assert.Equal(a.Address, drained.Address);
            Assert.Single(a.Requests);
            var metrics = await harness.Worker.QueryMetricsAsync();
            Assert.DoesNotContain(metrics.Clusters.Single().Backends, m => m.BackendId == "app-0");
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact(Timeout = 20_000)]
    public async Task RemovedIdleBackend_ReportsAtOnce_AndItsPooledConnectionsAreClosed()
    {
        using var a = HttpBackend.Named("a");
        var events = new EventRecorder();
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using (var client = HttpClientConnection.Open(address))
        {
            Assert.Equal("a", client.Get("app.test", "/").BodyText);
        }
        Assert.Equal(1, (await harness.Worker.QueryMetricsAsync()).BackendConnectionsIdle);

        await harness.ApplyOk(new RemoveBackend("app", "app-0", a.Address));
        events.WaitFor(EventKind.RemovedBackendHasNoConnections, "app-0", timeoutMs: 2_000);
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(0, metrics.BackendConnectionsIdle);
        Assert.Equal(0, metrics.BackendConnectionsOpen);
    }
}
