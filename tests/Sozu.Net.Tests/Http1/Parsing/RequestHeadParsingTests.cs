using System.Text;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Parsing;

public class RequestHeadParsingTests
{
    private const string BrowserRequest =
        "GET /static/app.js?v=42 HTTP/1.1\r\n" +
        "Host: www.example.com:8080\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: */*\r\n" +
        "Accept-Language: en-US,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Referer: https://www.example.com/\r\n" +
        "Cookie: theme=dark; SOZUBALANCEID=backend-2; session=abc\r\n" +
        "Connection: keep-alive\r\n" +
        "\r\n";

    public static TheoryData<string> ValidRequests => new()
    {
        BrowserRequest,
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tChunked \r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://example.com/x?y HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n",
        "GET /upgrade HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    };

    public static TheoryData<string> InvalidRequests => new()
    {
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n",
        "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Bare: a\nX-Next: b\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Nul: a\0b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Cr: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\n: empty-name\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, \"x\"\r\n\r\n",
    };

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void ParseRequestHead_EveryStrictPrefixOfAValidHead_IsIncompleteAndTheWholeIsComplete(string request)
    {
        var bytes = Bytes(request);
        var head = new RequestHead();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(ParseStatus.Incomplete, Http1Parser.ParseRequestHead(bytes.AsSpan(0, length), head));
        }
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(bytes, head));
        Assert.Equal(bytes.Length, head.HeadEnd);
    }

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void ParseRequestHead_InvalidHead_IsNeverCompleteAndOnceInvalidStaysInvalid(string request)
    {
        var bytes = Bytes(request);
        var head = new RequestHead();
        var seenInvalid = false;
        for (var length = 0; length <= bytes.Length; length++)
        {
            var status = Http1Parser.ParseRequestHead(bytes.AsSpan(0, length), head);
            Assert.NotEqual(ParseStatus.Complete, status);
            Assert.NotEqual(ParseStatus.TooLarge, status);
            if (seenInvalid)
            {
                Assert.Equal(ParseStatus.Invalid, status);
            }
            seenInvalid |= status == ParseStatus.Invalid;
        }
        Assert.True(seenInvalid);
    }

    [Fact]
    public void ParseRequestHead_BrowserRequest_RecordsEveryField()
    {
        var bytes = Bytes(BrowserRequest + "next");
        var head = new RequestHead("SOZUBALANCEID");

        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(bytes, head));

        string Text(ByteRange range) => Encoding.ASCII.GetString(range.Of(bytes));
        Assert.Equal("GET", Text(head.Method));
        Assert.Equal("/static/app.js?v=42", Text(head.Target));
        Assert.Equal("/static/app.js", Text(head.Path));
        Assert.Equal("v=42", Text(head.Query));
        Assert.Equal("www.example.com:8080", Text(head.Host));
        Assert.Equal("www.example.com:8080", Text(head.RoutingHost));
        Assert.Equal("backend-2", Text(head.StickyCookie));
        Assert.Equal("SOZUBALANCEID=backend-2", Text(head.StickyCookiePair));
        Assert.Equal(6, head.StickyCookieHeader);
        Assert.Equal(HttpVersion.Http11, head.Version);
        Assert.Equal(ConnectionOptions.KeepAlive, head.Connection);
        Assert.True(head.KeepAlive);
        Assert.Equal(BodyKind.None, head.Body);
        Assert.Equal(-1, head.ContentLength);
        Assert.Equal(8, head.Headers.Length);
        Assert.Equal(bytes.Length - 4, head.HeadEnd);
        Assert.Equal("User-Agent", Encoding.ASCII.GetString(head.Headers[1].Name(bytes)));
        Assert.Equal("en-US,en;q=0.5", Encoding.ASCII.GetString(head.Headers[3].Value(bytes)));
        Assert.Equal(KnownHeader.Cookie, head.Headers[6].Kind);
    }

    [Fact]
    public void ParseRequestHead_ReusedHead_ForgetsThePreviousRequest()
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"), head));
        Assert.True(head.ExpectContinue);
        Assert.Equal(BodyKind.ContentLength, head.Body);
        Assert.False(head.KeepAlive);

        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), head));
        Assert.False(head.ExpectContinue);
        Assert.Equal(BodyKind.None, head.Body);
        Assert.Equal(-1, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Single(head.Headers.ToArray());
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", BodyKind.Chunked, -1)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n", BodyKind.Chunked, -1)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", BodyKind.None, 0)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567\r\n\r\n", BodyKind.ContentLength, 1234567)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\n\r\n", BodyKind.None, -1)]
    public void ParseRequestHead_Framing_IsReported(string request, BodyKind body, long contentLength)
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes(request), head));
        Assert.Equal(body, head.Body);
        Assert.Equal(contentLength, head.ContentLength);
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, Close\r\n\r\n", false)]
    public void KeepAlive_FollowsVersionAndConnection(string request, bool keepAlive)
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes(request), head));
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void ParseRequestHead_AbsoluteForm_RoutesOnTheAuthority()
    {
        var bytes = Bytes("GET HTTP://Api.Example.com:81 HTTP/1.1\r\nHost: other\r\n\r\n");
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(bytes, head));
        Assert.Equal("Api.Example.com:81", Encoding.ASCII.GetString(head.RoutingHost.Of(bytes)));
        Assert.True(head.Path.IsEmpty);
        Assert.True(head.PathAndQuery.IsEmpty);
    }

    [Theory]
    [InlineData("GET /a/b?c=d HTTP/1.1\r\nHost: h\r\n\r\n", "/a/b?c=d")]
    [InlineData("GET https://h/a/b?c=d HTTP/1.1\r\nHost: h\r\n\r\n", "/a/b?c=d")]
    [InlineData("GET http://h?c=d HTTP/1.1\r\nHost: h\r\n\r\n", "?c=d")]
    public void PathAndQuery_LeavesOutSchemeAndAuthority(string request, string expected)
    {
        var bytes = Bytes(request);
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(bytes, head));
        Assert.Equal(expected, Encoding.ASCII.GetString(head.PathAndQuery.Of(bytes)));
    }

    [Fact]
    public void ParseRequestHead_UpgradeAndConnectionNamedHeaders_AreFlagged()
    {
        var bytes = Bytes("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade, X-Secret\r\nUpgrade: websocket\r\n\r\n");
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(bytes, head));
        Assert.True(head.IsUpgrade);
        Assert.Equal(ConnectionOptions.Upgrade | ConnectionOptions.NamesOtherHeaders, head.Connection);
        Assert.Equal("websocket", Encoding.ASCII.GetString(head.Upgrade.Of(bytes)));
    }

    [Fact]
    public void ParseRequestHead_LeadingEmptyLines_AreSkipped()
    {
        var bytes = Bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(bytes, head));
        Assert.Equal(4, head.HeadStart);
        Assert.Equal("GET", Encoding.ASCII.GetString(head.Method.Of(bytes)));
    }

    [Fact]
    public void ParseRequestHead_MoreHeadersThanCapacity_IsTooLarge()
    {
        var text = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (var i = 0; i < 10; i++)
        {
            text.Append("X-H").Append(i).Append(": v\r\n");
        }
        var head = new RequestHead(maxHeaders: 10);
        Assert.Equal(ParseStatus.TooLarge, Http1Parser.ParseRequestHead(Bytes(text.Append("\r\n").ToString()), head));
    }

    [Fact]
    public void ParseRequestHead_NoEndWithinMaxHeadLength_IsTooLarge()
    {
        var head = new RequestHead(maxHeadLength: 64);
        var bytes = Bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + new string('a', 100));
        Assert.Equal(ParseStatus.Incomplete, Http1Parser.ParseRequestHead(bytes.AsSpan(0, 63), head));
        Assert.Equal(ParseStatus.TooLarge, Http1Parser.ParseRequestHead(bytes, head));
    }

    [Fact]
    public void ParseRequestHead_ObsTextInAValue_IsAccepted()
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\r\n\r\n"), head));
    }

    [Fact]
    public void ParseRequestHead_TypicalRequest_AllocatesNothing()
    {
        var bytes = Bytes(BrowserRequest);
        var head = new RequestHead("SOZUBALANCEID");
        Http1Parser.ParseRequestHead(bytes, head);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Http1Parser.ParseRequestHead(bytes, head);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
