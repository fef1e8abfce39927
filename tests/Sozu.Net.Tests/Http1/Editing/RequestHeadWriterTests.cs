using System.Text;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Editing;

public class RequestHeadWriterTests
{
    private const string Id = "01JDQ0000000000000000000AB";

    private static string Forward(string request, string client = "192.0.2.7", string listener = "10.0.0.1", bool https = false, int capacity = 4096)
    {
        var source = Encoding.Latin1.GetBytes(request);
        var head = new RequestHead("SOZUBALANCEID");
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(source, head));
        var destination = new byte[capacity];
        var context = new ForwardingContext(Encoding.ASCII.GetBytes(client), Encoding.ASCII.GetBytes(listener), https ? 443 : 80, https, Encoding.ASCII.GetBytes(Id));
        var written = RequestHeadWriter.Write(source, head, context, destination);
        return written < 0 ? "<does not fit>" : Encoding.Latin1.GetString(destination, 0, written);
    }

    [Fact]
    public void Write_PlainRequest_AddsForwardingHeadersAndKeepAlive()
    {
        Assert.Equal(
            "GET /a?b=c HTTP/1.1\r\n" +
            "Host: example.com\r\n" +
            "Accept: */*\r\n" +
            "X-Forwarded-For: 192.0.2.7\r\n" +
            "Forwarded: for=192.0.2.7;proto=http;by=10.0.0.1\r\n" +
            "X-Forwarded-Proto: http\r\n" +
            "X-Forwarded-Port: 80\r\n" +
            "Sozu-Id: " + Id + "\r\n" +
            "Connection: keep-alive\r\n\r\n",
            Forward("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"));
    }

    [Fact]
    public void Write_ClientForwardingHeaders_AreAppendedToOrReplaced()
    {
        Assert.Equal(
            "POST / HTTP/1.1\r\n" +
            "Host: a\r\n" +
            "Content-Length: 3\r\n" +
            "X-Forwarded-For: 203.0.113.1, 203.0.113.2, 2001:db8::9\r\n" +
            "Forwarded: for=203.0.113.1, for=\"[2001:db8::9]\";proto=https;by=\"[::1]\"\r\n" +
            "X-Forwarded-Proto: https\r\n" +
            "X-Forwarded-Port: 443\r\n" +
            "Sozu-Id: " + Id + "\r\n" +
            "Connection: keep-alive\r\n\r\n",
            Forward(
                "POST / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.1\r\nX-Forwarded-Proto: http\r\nContent-Length: 3\r\n" +
                "X-Forwarded-Port: 1\r\nSozu-Id: spoofed\r\nForwarded: for=203.0.113.1\r\nX-Forwarded-For:  203.0.113.2 \r\n\r\n",
                client: "2001:db8::9", listener: "::1", https: true));
    }

    [Fact]
    public void Write_HopByHopHeaders_AreDropped_ButFramingNamedInConnectionIsKept()
    {
        var forwarded = Forward(
            "POST / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Private, Content-Length\r\nKeep-Alive: timeout=5\r\n" +
            "Proxy-Connection: keep-alive\r\nTE: trailers\r\nX-Private: secret\r\nUpgrade: h2c\r\nContent-Length: 2\r\nX-Public: ok\r\n\r\n");
        Assert.Equal(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Public: ok\r\n",
            forwarded[..forwarded.IndexOf("X-Forwarded-For", StringComparison.Ordinal)]);
        Assert.EndsWith("Connection: keep-alive\r\n\r\n", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Upgrade_KeepsUpgradeAndSaysSo()
    {
        var forwarded = Forward("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n\r\n");
        Assert.StartsWith("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n", forwarded, StringComparison.Ordinal);
        Assert.EndsWith("Connection: Upgrade\r\n\r\n", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AbsoluteFormTarget_SendsTheAuthorityAsHost()
    {
        var forwarded = Forward("GET http://routed.example:8080/p HTTP/1.1\r\nHost: other.example\r\nAccept: */*\r\n\r\n");
        Assert.StartsWith("GET http://routed.example:8080/p HTTP/1.1\r\nAccept: */*\r\nHost: routed.example:8080\r\nX-Forwarded-For", forwarded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cookie: a=1; SOZUBALANCEID=b2; c=3", "Cookie: a=1; c=3\r\n")]
    [InlineData("Cookie: SOZUBALANCEID=b2; c=3", "Cookie: c=3\r\n")]
    [InlineData("Cookie: a=1;SOZUBALANCEID=b2", "Cookie: a=1\r\n")]
    [InlineData("Cookie: SOZUBALANCEID=b2", "")]
    [InlineData("Cookie: SOZUBALANCEID=", "")]
    public void Write_StickyCookie_IsRemovedFromTheForwardedCookies(string cookieLine, string expected)
    {
        var forwarded = Forward("GET / HTTP/1.1\r\nHost: a\r\n" + cookieLine + "\r\nAccept: x\r\n\r\n");
        Assert.StartsWith("GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\n" + expected + "X-Forwarded-For", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CookiesWithoutTheStickyOne_StayInPlace()
    {
        var forwarded = Forward("GET / HTTP/1.1\r\nHost: a\r\nCookie: XSOZUBALANCEID=b2\r\nAccept: x\r\n\r\n");
        Assert.StartsWith("GET / HTTP/1.1\r\nHost: a\r\nCookie: XSOZUBALANCEID=b2\r\nAccept: x\r\nX-Forwarded-For", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LeadingEmptyLines_AreNotForwarded()
    {
        Assert.StartsWith("GET / HTTP/1.0\r\nX-Forwarded-For", Forward("\r\nGET / HTTP/1.0\r\n\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DestinationTooSmall_SaysSoAtEverySize()
    {
        var full = Forward("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        for (var capacity = 0; capacity < full.Length; capacity++)
        {
            Assert.Equal("<does not fit>", Forward("GET / HTTP/1.1\r\nHost: a\r\n\r\n", capacity: capacity));
        }
        Assert.Equal(full, Forward("GET / HTTP/1.1\r\nHost: a\r\n\r\n", capacity: full.Length));
    }

    [Fact]
    public void Write_AllocatesNothing()
    {
        var source = "GET /a HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.2.3.4\r\nConnection: close, X-A\r\nX-A: 1\r\n\r\n"u8.ToArray();
        var head = new RequestHead();
        Http1Parser.ParseRequestHead(source, head);
        var destination = new byte[1024];
        var client = "192.0.2.7"u8.ToArray();
        var id = new byte[RequestIdGenerator.Length];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RequestHeadWriter.Write(source, head, new ForwardingContext(client, [], 80, false, id), destination);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
