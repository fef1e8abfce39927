using System.Net;
using System.Text;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.ProxyProtocol;

/// <summary>
/// PROXY protocol through the real `sozu start`: expect_proxy on http and tcp listeners (v1 and
/// v2 headers written by hand here), send_proxy on http and tcp clusters checked by a backend
/// that reads the header itself, and HAProxy as the peer on both sides.
/// </summary>
public sealed class ProxyProtocolEndToEndTests(ITestOutputHelper output)
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static byte[] V1(string sourceIp, int sourcePort) =>
        Encoding.ASCII.GetBytes($"PROXY TCP4 {sourceIp} 127.0.0.1 {sourcePort} 80\r\n");

    /// <summary>A v2 PROXY TCP header, built here byte by byte from the specification.</summary>
    private static byte[] V2(string sourceIp, int sourcePort)
    {
        var source = IPAddress.Parse(sourceIp).GetAddressBytes();
        var v4 = source.Length == 4;
        var destination = (v4 ? IPAddress.Loopback : IPAddress.IPv6Loopback).GetAddressBytes();
        byte[] ports = [(byte)(sourcePort >> 8), (byte)sourcePort, 0, 80];
        byte[] block = [.. source, .. destination, .. ports];
        return [.. V2Signature, 0x21, (byte)(v4 ? 0x11 : 0x21), 0, (byte)block.Length, .. block];
    }

    [Fact(Timeout = 180_000)]
    public async Task ExpectAndSendProxy_ThroughSozuStart()
    {
        using var forwardedFor = new ProxyAwareBackend();
        using var httpWithHeader = new ProxyAwareBackend();
        using var tcpWithHeader = new ProxyAwareBackend(echo: true);
        using var host = new SozuHost();
        var http = FreePort.Tcp();
        var tcp = FreePort.Tcp();
        host.WriteConfig($$"""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:{{http}}"
            expect_proxy = true

            [[listeners]]
            protocol = "tcp"
            address = "127.0.0.1:{{tcp}}"
            expect_proxy = true

            [clusters.plain]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:{{http}}", hostname = "plain.test" } ]
            backends = [ { address = "{{forwardedFor.Address}}" } ]

            [clusters.limited]
            protocol = "http"
            max_connections_per_ip = 1
            frontends = [ { address = "127.0.0.1:{{http}}", hostname = "limited.test" } ]
            backends = [ { address = "{{forwardedFor.Address}}" } ]

            [clusters.relay]
            protocol = "http"
            send_proxy = true
            frontends = [ { address = "127.0.0.1:{{http}}", hostname = "relay.test" } ]
            backends = [ { address = "{{httpWithHeader.Address}}" } ]

            [clusters.db]
            protocol = "tcp"
            send_proxy = true
            frontends = [ { address = "127.0.0.1:{{tcp}}" } ]
            backends = [ { address = "{{tcpWithHeader.Address}}" } ]
            """);
        await host.StartAsync();

        // v1 and v2 (IPv4 and IPv6): the header's source is the client the backend is told about.
        foreach (var (header, ip) in new[] { (V1("203.0.113.7", 4000), "203.0.113.7"), (V2("203.0.113.8", 4001), "203.0.113.8"), (V2("2001:db8::9", 4002), "2001:db8::9") })
        {
            using var client = new LoopbackClient(http);
            client.Send(header);
            var (status, body) = client.Get("plain.test");
            Assert.True(status == 200, $"{status} {body}\n{host.Output}");
            Assert.Equal($"none {ip}", body);
        }

        // Without a header, and with a malformed one: closed, never proxied, and at debug level
        // each gets a log line that says which client sent what.
        Assert.Equal(AnswerStatus.Ok, (await host.ExecuteAsync(new SetLogging("debug"))).Status);
        // set_logging answers once the worker confirmed the level: the very next connection is logged.
        foreach (var input in new[] { "GET / HTTP/1.1\r\nHost: plain.test\r\n\r\n", "PROXY TCP4 203.0.113.7 127.0.0.1 70000 80\r\nGET / HTTP/1.1\r\nHost: plain.test\r\n\r\n" })
        {
            using var client = new LoopbackClient(http);
            client.Send(input);
            Assert.True(client.ClosedWithoutAnswer(TimeSpan.FromSeconds(5)));
        }
        foreach (var reason in new[] { "malformed PROXY header (BadSignature)", "malformed PROXY header (BadPort)" })
        {
            var line = $"listener 127.0.0.1:{http}: connection from 127.0.0.1:";
            for (var i = 0; i < 100 && !host.Output.Split('\n').Any(l => l.Contains(line, StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal)); i++)
            {
                await Task.Delay(50);
            }
            Assert.True(host.Output.Split('\n').Any(l => l.Contains(" DBG ", StringComparison.Ordinal) && l.Contains(line, StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal)), $"no debug line for '{reason}'\n{host.Output}");
        }
        Assert.Equal(AnswerStatus.Ok, (await host.ExecuteAsync(new SetLogging("info"))).Status);

        // The per-IP cap counts the header's address, not the socket's (all of them come from 127.0.0.1).
        using (var holder = new LoopbackClient(http))
        {
            holder.Send(V1("198.51.100.1", 1));
            Assert.Equal(200, holder.Get("limited.test").Status);
            using var sameClient = new LoopbackClient(http);
            sameClient.Send(V2("198.51.100.1", 2));
            Assert.Equal(429, sameClient.Get("limited.test").Status);
            using var otherClient = new LoopbackClient(http);
            otherClient.Send(V2("198.51.100.2", 3));
            Assert.Equal(200, otherClient.Get("limited.test").Status);
        }

        // send_proxy on an http cluster: each backend connection opens with its own client's header;
        // client B, after client A's keep-alive exchanges ended, never gets A's connection.
        foreach (var (ip, port) in new[] { ("192.0.2.1", 1111), ("192.0.2.2", 2222) })
        {
            using var client = new LoopbackClient(http);
            client.Send(V2(ip, port));
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal((200, $"{ip}:{port} {ip}"), client.Get("relay.test"));
            }
        }

        // tcp: the header is stripped from the client's bytes and a new one goes first to the backend.
        using (var client = new LoopbackClient(tcp))
        {
            client.Send([.. V1("192.0.2.77", 7777), .. "hello"u8.ToArray()]);
            Assert.Equal("hello", Encoding.ASCII.GetString(client.Read(5)));
            Assert.Contains("192.0.2.77:7777", tcpWithHeader.Sources);
        }

        // A worker that misses the gather deadline on a loaded machine is left out of one answer: ask again (5 times at most).
        MetricsContent? metrics = null;
        for (var attempt = 0; attempt < 5 && metrics?.Listeners.Count is null or 0; attempt++)
        {
            metrics = (await host.ExecuteAsync(new QueryMetrics())).Content as MetricsContent;
        }
        Assert.NotNull(metrics);
        output.WriteLine($"listeners in the metrics: {string.Join(", ", metrics.Listeners.Select(l => $"{l.Address} {l.ProxyProtocol}"))}");
        var listener = metrics.Listeners.Single(l => l.Address == $"127.0.0.1:{http}");
        output.WriteLine($"http listener PROXY counters: {listener.ProxyProtocol}");
        Assert.Equal(2, listener.ProxyProtocol!.Failures);
        Assert.Equal(3 + 3 + 2, listener.ProxyProtocol.Headers);
        Assert.Equal(1, metrics.Listeners.Single(l => l.Address == $"127.0.0.1:{tcp}").ProxyProtocol!.Headers);
        // The default listener of the host expects nothing and counts nothing.
        Assert.Null(metrics.Listeners.Single(l => l.Address == $"127.0.0.1:{host.ListenerPort}").ProxyProtocol);
    }

    [Fact(Timeout = 180_000)]
    public async Task Haproxy_SendProxyInFront_AndAcceptProxyBehind()
    {
        output.WriteLine(await HaproxyProcess.VersionAsync());
        using var forwardedFor = new ProxyAwareBackend();
        using var host = new SozuHost();
        var expecting = FreePort.Tcp();
        var (toSozuV2, toSozuV1, acceptProxy) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        host.WriteConfig($$"""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:{{expecting}}"
            expect_proxy = true

            [clusters.plain]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:{{expecting}}", hostname = "plain.test" } ]
            backends = [ { address = "{{forwardedFor.Address}}" } ]

            [clusters.relay]
            protocol = "http"
            send_proxy = true
            frontends = [
                { address = "127.0.0.1:{{expecting}}", hostname = "relay.test" },
                { address = "127.0.0.1:{{host.ListenerPort}}", hostname = "relay.test" },
            ]
            backends = [ { address = "127.0.0.1:{{acceptProxy}}" } ]
            """);
        await host.StartAsync();
        using var haproxy = await HaproxyProcess.StartAsync(host.Directory, $$"""
            frontend to_sozu_v2
                mode tcp
                bind 127.0.0.1:{{toSozuV2}}
                default_backend sozu_v2
            backend sozu_v2
                mode tcp
                server sozu 127.0.0.1:{{expecting}} send-proxy-v2
            frontend to_sozu_v1
                mode tcp
                bind 127.0.0.1:{{toSozuV1}}
                default_backend sozu_v1
            backend sozu_v1
                mode tcp
                server sozu 127.0.0.1:{{expecting}} send-proxy
            frontend says_who
                mode http
                bind 127.0.0.1:{{acceptProxy}} accept-proxy
                http-request return status 200 content-type text/plain lf-string "%[src]:%[src_port] %[req.hdr(x-forwarded-for)]"
            """, toSozuV2, toSozuV1, acceptProxy);

        // HAProxy send-proxy-v2 / send-proxy in front of our expect_proxy listener: clients come
        // from 127.0.0.5 and .6, HAProxy's own connection from 127.0.0.1.
        foreach (var (port, from) in new[] { (toSozuV2, "127.0.0.5"), (toSozuV1, "127.0.0.6") })
        {
            using var client = new LoopbackClient(port, from);
            var (status, body) = client.Get("plain.test");
            Assert.True(status == 200, $"{status} {body}\n{host.Output}\n{haproxy.Output}");
            Assert.Equal($"none {from}", body);
            // Both ends of the chain: HAProxy's header in, ours out to HAProxy's accept-proxy.
            var relayed = client.Get("relay.test");
            Assert.Equal((200, $"{from}:{client.LocalEndPoint.Port} {from}"), relayed);
        }

        // Our send_proxy in front of HAProxy's accept-proxy, from a listener that expects nothing.
        using (var direct = new LoopbackClient(host.ListenerPort, "127.0.0.7"))
        {
            var answer = direct.Get("relay.test");
            Assert.True(answer.Status == 200, $"{answer}\n{host.Output}\n{haproxy.Output}");
            Assert.Equal($"127.0.0.7:{direct.LocalEndPoint.Port} 127.0.0.7", answer.Body);
        }
        output.WriteLine("interop: HAProxy send-proxy-v2 and send-proxy -> sozu expect_proxy, sozu send_proxy -> HAProxy accept-proxy: all served with the client's address");
    }
}
