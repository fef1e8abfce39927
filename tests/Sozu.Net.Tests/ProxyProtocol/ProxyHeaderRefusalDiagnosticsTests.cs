using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.ProxyProtocol;

/// <summary>Every refused connection on an expect_proxy listener reaches the diagnostics sink with its client and reason; accepted ones never do.</summary>
public class ProxyHeaderRefusalDiagnosticsTests
{
    private sealed class RecordingDiagnostics(bool enabled) : IConnectionDiagnostics
    {
        public ConcurrentQueue<ProxyHeaderRefusal> Refusals { get; } = new();

        public bool IsEnabled => enabled;

        public void ProxyHeaderRefused(in ProxyHeaderRefusal refusal) => Refusals.Enqueue(refusal);
    }

    private static (ProxyWorker Worker, string Address) Start(string backend, IConnectionDiagnostics diagnostics)
    {
        var requests = WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend], timeoutSeconds: 1, backTimeoutSeconds: 5);
        requests[0] = new AddHttpListener(((AddHttpListener)requests[0]).Listener with { ExpectProxy = true });
        var worker = ProxyWorker.Create(new ProxyWorkerOptions(), requests);
        worker.Diagnostics = diagnostics;
        worker.ActivateAllListeners();
        worker.StartThread();
        var port = worker.ListenerPortAsync(WorkerHarness.AnyPort).WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        return (worker, $"127.0.0.1:{port}");
    }

    private static ProxyHeaderRefusal Single(RecordingDiagnostics diagnostics)
    {
        var deadline = Environment.TickCount64 + 5_000;
        while (diagnostics.Refusals.IsEmpty && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }
        return Assert.Single(diagnostics.Refusals);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n", ProxyHeaderError.BadSignature)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\n", ProxyHeaderError.BadPort)]
    [InlineData("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadAddress)]
    public async Task A_malformed_header_is_reported_with_the_parsers_reason_and_the_sockets_client(string input, ProxyHeaderError expected)
    {
        await Task.Yield();
        using var backend = new HttpBackend((request, stream) => HttpBackend.Respond(stream, 200, "ok"));
        var diagnostics = new RecordingDiagnostics(enabled: true);
        var (worker, address) = Start(backend.Address, diagnostics);
        using (worker)
        {
            int clientPort;
            using (var client = HttpClientConnection.Open(address))
            {
                clientPort = ((IPEndPoint)client.Socket.LocalEndPoint!).Port;
                client.Send(Encoding.ASCII.GetBytes(input));
                Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(3)));
            }
            var refusal = Single(diagnostics);
            Assert.Equal(ProxyHeaderRefusalReason.Malformed, refusal.Reason);
            Assert.Equal(expected, refusal.Error);
            Assert.Equal(clientPort, refusal.Client.ToEndPoint().Port);
            Assert.Equal(WorkerHarness.AnyPort, refusal.Listener.ToString()); // the listener as configured
            Assert.Equal(input.Length, refusal.BytesSeen);
            Assert.Contains($"malformed PROXY header ({expected})", refusal.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task An_incomplete_header_is_reported_at_the_timeout_and_a_client_that_closes_midway_as_closed_early()
    {
        await Task.Yield();
        using var backend = new HttpBackend((request, stream) => HttpBackend.Respond(stream, 200, "ok"));
        var diagnostics = new RecordingDiagnostics(enabled: true);
        var (worker, address) = Start(backend.Address, diagnostics);
        using (worker)
        {
            using (var client = HttpClientConnection.Open(address))
            {
                client.Send("PROXY TCP4 1.2.3.4 ");
                Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(6))); // request_timeout is 1 s here
            }
            Assert.Equal(ProxyHeaderRefusalReason.Timeout, Single(diagnostics).Reason);
            diagnostics.Refusals.Clear();

            using (var client = HttpClientConnection.Open(address))
            {
                client.Send("PROXY TCP4 1.2.3.4 ");
                client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(3)));
            }
            var early = Single(diagnostics);
            Assert.Equal(ProxyHeaderRefusalReason.ClosedEarly, early.Reason);
            Assert.Contains("closed before the end of the PROXY header", early.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_valid_header_is_never_reported_and_a_disabled_sink_is_never_called()
    {
        await Task.Yield();
        using var backend = new HttpBackend((request, stream) => HttpBackend.Respond(stream, 200, "ok"));
        var enabled = new RecordingDiagnostics(enabled: true);
        var (worker, address) = Start(backend.Address, enabled);
        using (worker)
        {
            using var client = HttpClientConnection.Open(address);
            client.Send("PROXY TCP4 192.0.2.1 192.0.2.2 1000 80\r\n");
            Assert.Equal(200, client.Get("app.test", "/").Status);
            var metrics = await worker.QueryMetricsAsync();
            Assert.Equal(1, metrics.Listeners.Single().ProxyProtocol!.Headers);
            Assert.Empty(enabled.Refusals);
        }

        var disabled = new RecordingDiagnostics(enabled: false);
        (worker, address) = Start(backend.Address, disabled);
        using (worker)
        {
            using (var client = HttpClientConnection.Open(address))
            {
                client.Send("GET / HTTP/1.1\r\n\r\n");
                Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(3)));
            }
            var metrics = await worker.QueryMetricsAsync();
            Assert.Equal(1, metrics.Listeners.Single().ProxyProtocol!.Failures); // refused, counted, not reported
            Assert.Empty(disabled.Refusals);
        }
    }
}
