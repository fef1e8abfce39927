using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Sozu.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Hostile;

/// <summary>
/// A worker out of file descriptors (EMFILE) while connections wait in the accept queue: once
/// descriptors are free again, the waiting connections are served without any new connection
/// arriving to wake the edge-triggered listener. The worker's limit is lowered from outside
/// with prlimit(1) (util-linux), on the worker process this test started, only.
/// </summary>
public sealed class DescriptorExhaustionTests(ITestOutputHelper output)
{
    private const int Headroom = 16;
    private const int Clients = 40;

    [Fact(Timeout = 120_000)]
    public async Task Connections_queued_while_the_worker_had_no_descriptors_are_served_once_some_are_freed()
    {
        using var backend = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", backend.Address, workers: 1, extraGlobal: "worker_standby = false");
        Assert.True(await HttpProbe.WaitForAsync(proxy.ListenerPort, "app.test", "one", TimeSpan.FromSeconds(60)), proxy.Output);
        var worker = Assert.Single(proxy.WorkerPids());
        var open = Directory.GetFiles($"/proc/{worker}/fd").Length;
        var limit = open + Headroom;
        using (var prlimit = Process.Start("prlimit", $"--pid {worker} --nofile={limit}:{limit}"))
        {
            await prlimit.WaitForExitAsync();
            Assert.Equal(0, prlimit.ExitCode);
        }
        output.WriteLine($"worker {worker}: {open} descriptors open, limit set to {limit}");

        var clients = new List<TcpClient>();
        try
        {
            // More idle connections than descriptors left: the last ones wait in the accept queue.
            for (var i = 0; i < Clients; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", proxy.ListenerPort);
                clients.Add(client);
            }
            // Bounded wait until the worker has accepted up to its limit.
            var inWorker = 0;
            for (var i = 0; i < 200 && (inWorker = Directory.GetFiles($"/proc/{worker}/fd").Length) < limit - 2; i++)
            {
                await Task.Delay(50);
            }
            output.WriteLine($"after {Clients} connections: {inWorker} descriptors in the worker");
            Assert.True(inWorker >= limit - 2, $"the worker never ran out of descriptors ({inWorker} of {limit})");

            // The last client's request cannot be read yet: its connection was never accepted.
            var last = clients[^1];
            var stream = last.GetStream();
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n"u8.ToArray());

            // Free descriptors: the first clients leave. No new connection arrives after this.
            for (var i = 0; i < Clients - 4; i++)
            {
                clients[i].Dispose();
            }
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            output.WriteLine($"the queued connection was answered {clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms after descriptors were freed: {text.Split('\r')[0]}");
            Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
