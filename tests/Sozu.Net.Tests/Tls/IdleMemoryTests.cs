using System.Diagnostics;
using Sozu.Net.Tests.Support;
using Sozu.Net.Tests.Worker;
using Xunit;
using Xunit.Abstractions;

namespace Sozu.Net.Tests.Tls;

/// <summary>
/// Memory an idle TLS connection costs the proxy: connections opened by a separate client
/// process (python3's ssl module), so only the proxy's side grows this process's RSS.
/// </summary>
public class IdleMemoryTests(ITestOutputHelper output)
{
    private const string Client = """
import socket, ssl, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
held = []
for _ in range(count):
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn = context.wrap_socket(raw, server_hostname="a.test")
    conn.sendall(b"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")
    conn.recv(65536)
    held.append(conn)
print("open", flush=True)
sys.stdin.readline()
""";

    [Fact(Timeout = 90_000)]
    public async Task IdleTlsConnections_CostAFewKiBEach()
    {
        if (!File.Exists("/usr/bin/python3") && !File.Exists("/usr/local/bin/python3"))
        {
            return;
        }
        using var https = HttpsHarness.Start(c => c with { FrontTimeout = 60 }, certificates: [TestCertificate.Ecdsa("a.test").ForProxy()]);
        await Task.Yield();
        var script = Path.Combine(Path.GetTempPath(), $"sozu-idle-{Environment.ProcessId}.py");
        await File.WriteAllTextAsync(script, Client);
        const int count = 400;
        try
        {
            // Warm up the allocator and the pools with a first batch, then measure a second one.
            using (var warm = StartClient(script, https.Address, 50))
            {
                Assert.Equal("open", await warm.StandardOutput.ReadLineAsync());
                warm.StandardInput.WriteLine();
                await warm.WaitForExitAsync();
            }
            await LimitsTests.WaitFor(async () => (await https.Worker.Worker.QueryMetricsAsync()).Sessions == 0);
            GC.Collect();
            var before = Rss();
            using var client = StartClient(script, https.Address, count);
            Assert.Equal("open", await client.StandardOutput.ReadLineAsync());
            Assert.Equal(count, (await https.Worker.Worker.QueryMetricsAsync()).Sessions);
            GC.Collect();
            var after = Rss();
            var perConnection = (after - before) / 1024.0 / count;
            output.WriteLine($"{perConnection:F1} KiB RSS per idle TLS 1.3 connection (ECDSA; {count} connections; SSL_MODE_RELEASE_BUFFERS)");
            client.StandardInput.WriteLine();
            await client.WaitForExitAsync();
            Assert.True(perConnection < 64, $"{perConnection:F1} KiB per idle connection");
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static Process StartClient(string script, string address, int count)
    {
        var start = new ProcessStartInfo("python3", $"{script} {address.Split(':')[1]} {count}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        return Process.Start(start)!;
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }
}
