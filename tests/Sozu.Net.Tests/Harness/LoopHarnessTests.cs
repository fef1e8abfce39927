using System.Net;
using System.Net.Sockets;
using System.Text;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Harness;

/// <summary>
/// Timeouts and a full exchange checked on the test thread with a clock that moves only when
/// told (<see cref="LoopHarness"/>): no loop thread, no sleep, nothing that depends on how fast
/// the machine is. The proxy's listener is never bound; the backend is a real socket on 127.0.0.1.
/// </summary>
public class LoopHarnessTests
{
    // Never bound: the harness hands the loop its connections directly.
    private const string ListenerAddress = "127.0.0.1:1";

    [Fact]
    public void An_incomplete_head_is_answered_408_once_the_clock_passes_the_request_timeout_and_not_before()
    {
        using var harness = LoopHarness.Create(null, WorkerHarness.HttpProxy(ListenerAddress, "app", ["127.0.0.1:9"], timeoutSeconds: 10, backTimeoutSeconds: 30));
        var client = harness.Connect(ListenerAddress);
        LoopHarness.Send(client, "GET / HTTP/1.1\r\nHost: app");
        harness.Turn();

        harness.Advance(TimeSpan.FromMilliseconds(9_900));
        Assert.Equal(("", false), LoopHarness.Received(client));

        // Within one tick of the wheel after the deadline.
        harness.Advance(TimeSpan.FromMilliseconds(400));
        var (text, closed) = LoopHarness.Received(client);
        Assert.StartsWith("HTTP/1.1 408", text, StringComparison.Ordinal);
        Assert.True(closed);
        // Lingering close: the proxy half-closed and waits for the client to close its side.
        Assert.Equal(1, harness.Worker.SessionCount);
        client.Shutdown(SocketShutdown.Send);
        harness.Turn();
        Assert.Equal(0, harness.Worker.SessionCount);
    }

    [Fact]
    public void A_request_reaches_the_backend_and_its_response_the_client_and_a_silent_backend_gets_504_at_the_back_timeout()
    {
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var backendAddress = $"127.0.0.1:{((IPEndPoint)backend.LocalEndpoint).Port}";
        using var harness = LoopHarness.Create(null, WorkerHarness.HttpProxy(ListenerAddress, "app", [backendAddress], timeoutSeconds: 5, backTimeoutSeconds: 30));
        var client = harness.Connect(ListenerAddress, peer: "198.51.100.4:5555");
        LoopHarness.Send(client, "GET /a HTTP/1.1\r\nHost: app.test\r\n\r\n");
        harness.Turn();

        using var server = AcceptWithin(harness, backend);
        var request = ReadHead(harness, server);
        Assert.StartsWith("GET /a HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For: 198.51.100.4", request, StringComparison.Ordinal);
        server.Send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8);
        harness.Turn();
        var (text, closed) = LoopHarness.Received(client);
        Assert.StartsWith("HTTP/1.1 200 OK", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", text, StringComparison.Ordinal);
        Assert.False(closed);

        // The second request of the keep-alive connection: the backend reads it and says nothing.
        LoopHarness.Send(client, "GET /b HTTP/1.1\r\nHost: app.test\r\n\r\n");
        harness.Turn();
        Assert.StartsWith("GET /b HTTP/1.1\r\n", ReadHead(harness, server), StringComparison.Ordinal);
        harness.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(("", false), LoopHarness.Received(client));
        harness.Advance(TimeSpan.FromSeconds(1.5));
        Assert.StartsWith("HTTP/1.1 504", LoopHarness.Received(client).Text, StringComparison.Ordinal);
    }

    /// <summary>The proxy's connection to the backend, accepted between turns (bounded: the connect is local and immediate).</summary>
    private static Socket AcceptWithin(LoopHarness harness, TcpListener backend)
    {
        for (var i = 0; i < 1_000; i++)
        {
            if (backend.Pending())
            {
                var socket = backend.AcceptSocket();
                socket.Blocking = false;
                return socket;
            }
            harness.Turn();
            Thread.Yield();
        }
        throw new Xunit.Sdk.XunitException("the proxy never connected to the backend");
    }

    private static string ReadHead(LoopHarness harness, Socket server)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        for (var i = 0; i < 1_000 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal); i++)
        {
            try
            {
                var n = server.Receive(buffer);
                head.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                harness.Turn();
                Thread.Yield();
            }
        }
        return head.ToString();
    }
}
