using System.Net.Sockets;
using System.Text;
using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Limits;

/// <summary>
/// The global max_connections_per_ip and retry_after through the real `sozu start`: they reach
/// the worker processes (the launch contract), where only the per-cluster cap used to.
/// </summary>
public sealed class GlobalPerIpCapEndToEndTests
{
    [Fact]
    public async Task GlobalCap_ThirdConnectionFromOneIp_Gets429WithTheGlobalRetryAfter()
    {
        using var backend = new TestBackend("capped-backend");
        // One worker: the cap is counted per worker process.
        using var host = new SozuHost { WorkerCount = 1, ExtraGlobal = "max_connections_per_ip = 2\nretry_after = 7" };
        host.WriteConfig($$"""
            [clusters.capped]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "capped.local" }]
            backends = [{ address = "{{backend.Address}}" }]
            """);
        await host.StartAsync();

        using var first = new HttpConnection(host.ListenerPort);
        using var second = new HttpConnection(host.ListenerPort);
        Assert.Equal(200, (await first.GetAsync("capped.local")).Status);
        Assert.Equal(200, (await second.GetAsync("capped.local")).Status);

        var refused = await HeadOfOneRequestAsync(host.ListenerPort, "capped.local");
        Assert.StartsWith("HTTP/1.1 429", refused, StringComparison.Ordinal);
        Assert.Contains("\r\nRetry-After: 7\r\n", refused, StringComparison.OrdinalIgnoreCase);

        // A slot freed is a slot again (bounded wait: the worker sees the close on its next loop turn).
        first.Dispose();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string again;
        do
        {
            await Task.Delay(100);
            again = await HeadOfOneRequestAsync(host.ListenerPort, "capped.local");
        }
        while (!again.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        Assert.StartsWith("HTTP/1.1 200", again, StringComparison.Ordinal);
    }

    /// <summary>The response head of one GET on a new connection (the connection is then closed).</summary>
    private static async Task<string> HeadOfOneRequestAsync(int port, string host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"), timeout.Token);
        var head = new StringBuilder();
        var one = new byte[1];
        while (head.Length < 16384 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }
            head.Append((char)one[0]);
        }
        return head.ToString();
    }
}
