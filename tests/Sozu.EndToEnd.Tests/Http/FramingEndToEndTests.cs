using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Http;

/// <summary>
/// Issue 11's framing vectors through the real `sozu start`: refused requests never reach the
/// backend, h2c never reaches it, and a malformed response is a 502 counted in the Prometheus
/// output. The backend records every byte it receives.
/// </summary>
public sealed partial class FramingEndToEndTests
{
    private const string Malformed = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\r\nab\r\n0\r\n\r\n";

    [Fact]
    public async Task SmugglingVectors_AreRefused_H2cIsStripped_MalformedResponsesAre502AndCounted()
    {
        using var backend = new RecordingBackend();
        using var host = new SozuHost();
        host.WriteConfig($$"""
            [clusters.framing]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "framing.local" }]
            backends = [{ address = "{{backend.Address}}", backend_id = "framing-0" }]
            """);
        await host.StartAsync();

        const string Chunked = "POST /upload HTTP/1.1\r\nHost: framing.local\r\nTransfer-Encoding: chunked\r\n\r\n";
        Assert.Equal(400, await StatusOfAsync(host.ListenerPort, Chunked + "000000000000000000000000000000000f0\r\n" + new string('a', 0xf0) + "\r\n0\r\n\r\n"));
        Assert.Equal(400, await StatusOfAsync(host.ListenerPort, Chunked + "2;\r\nab\r\n0\r\n\r\n"));
        Assert.Equal(400, await StatusOfAsync(host.ListenerPort, "POST /upload HTTP/1.1\r\nHost: framing.local\r\nTransfer-Encoding: ,chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"));
        Assert.Equal("", backend.ReceivedText);

        Assert.Equal(200, await StatusOfAsync(host.ListenerPort, "GET /plain HTTP/1.1\r\nHost: framing.local\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n"));
        var forwarded = backend.ReceivedText;
        Assert.StartsWith("GET /plain HTTP/1.1\r\nHost: framing.local\r\n", forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain("h2c", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("HTTP2-Settings", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Upgrade", forwarded, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(502, await StatusOfAsync(host.ListenerPort, "GET /malformed HTTP/1.1\r\nHost: framing.local\r\nConnection: close\r\n\r\n"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var counted = 0L;
        for (var i = 0; i < 50 && counted == 0; i++)
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{host.PrometheusPort}/metrics"));
            var match = BackendMalformed().Match(text);
            counted = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (counted == 0)
            {
                await Task.Delay(200);
            }
        }
        Assert.Equal(1, counted);
    }

    [GeneratedRegex(@"^sozu_backend_malformed_responses_total\{[^}]*backend_id=""framing-0""[^}]*\} (\d+)$", RegexOptions.Multiline)]
    private static partial Regex BackendMalformed();

    /// <summary>Sends the bytes on a new connection and reads the status of the first response.</summary>
    private static async Task<int> StatusOfAsync(int port, string request)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
        var received = new List<byte>();
        var buffer = new byte[1024];
        while (received.IndexOf((byte)'\n') < 0)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException("closed before a status line");
            }
            received.AddRange(buffer.AsSpan(0, read));
        }
        var line = Encoding.ASCII.GetString([.. received]);
        return int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Records every byte; answers each request head with 200, or with a broken chunk for /malformed.</summary>
    private sealed class RecordingBackend : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly MemoryStream _received = new();

        public RecordingBackend()
        {
            _listener.Start();
            _ = AcceptLoop();
        }

        public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public string ReceivedText
        {
            get
            {
                lock (_received)
                {
                    return Encoding.Latin1.GetString(_received.ToArray());
                }
            }
        }

        private async Task AcceptLoop()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    _ = Serve(await _listener.AcceptTcpClientAsync(_stop.Token));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[16384];
                var pending = "";
                try
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }
                        lock (_received)
                        {
                            _received.Write(buffer, 0, read);
                        }
                        pending += Encoding.Latin1.GetString(buffer, 0, read);
                        int end;
                        while ((end = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                        {
                            var answer = pending.StartsWith("GET /malformed ", StringComparison.Ordinal) ? Malformed : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                            pending = pending[(end + 4)..];
                        }
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
