using System.Text;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Parsing;

public class ResponseHeadParsingTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static TheoryData<string, bool, BodyKind, bool> Framings => new()
    {
        { "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", false, BodyKind.ContentLength, true },
        { "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, BodyKind.None, true },
        { "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", true, BodyKind.None, true },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, BodyKind.Chunked, true },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false, BodyKind.CloseDelimited, false },
        { "HTTP/1.1 200 OK\r\n\r\n", false, BodyKind.CloseDelimited, false },
        { "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n", false, BodyKind.ContentLength, false },
        { "HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n", false, BodyKind.ContentLength, true },
        { "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n", false, BodyKind.None, true },
        { "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false, BodyKind.None, true },
        { "HTTP/1.1 100 Continue\r\n\r\n", false, BodyKind.None, true },
        { "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false, BodyKind.None, true },
        { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", false, BodyKind.ContentLength, false },
        { "HTTP/1.1 200\r\nContent-Length: 3\r\n\r\n", false, BodyKind.ContentLength, true },
        { "HTTP/1.1 200 \r\nContent-Length: 3\r\n\r\n", false, BodyKind.ContentLength, true },
    };

    [Theory]
    [MemberData(nameof(Framings))]
    public void ParseResponseHead_Framing_FollowsStatusMethodAndHeaders(string response, bool requestWasHead, BodyKind body, bool keepAlive)
    {
        var bytes = Bytes(response);
        var head = new ResponseHead();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(ParseStatus.Incomplete, Http1Parser.ParseResponseHead(bytes.AsSpan(0, length), head, requestWasHead));
        }
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseResponseHead(bytes, head, requestWasHead));
        Assert.Equal(body, head.Body);
        Assert.Equal(keepAlive, head.KeepAlive);
        Assert.Equal(bytes.Length, head.HeadEnd);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 600 High\r\n\r\n")]
    [InlineData("HTTP/1.1 20x OK\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Folded: a\r\n\tb\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\0K\r\n\r\n")]
    public void ParseResponseHead_Malformed_IsInvalid(string response)
    {
        var head = new ResponseHead();
        Assert.Equal(ParseStatus.Invalid, Http1Parser.ParseResponseHead(Bytes(response), head, requestWasHead: false));
    }

    [Fact]
    public void ParseResponseHead_RecordsStatusReasonAndHsts()
    {
        var bytes = Bytes("HTTP/1.1 404 Not Found\r\nStrict-Transport-Security: max-age=5\r\nContent-Length: 9\r\n\r\nnot found");
        var head = new ResponseHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseResponseHead(bytes, head, requestWasHead: false));
        Assert.Equal(404, head.StatusCode);
        Assert.Equal("Not Found", Encoding.ASCII.GetString(head.Reason.Of(bytes)));
        Assert.True(head.HasStrictTransportSecurity);
        Assert.Equal(9, head.ContentLength);
        Assert.False(head.IsInterim);
        Assert.Equal("not found", Encoding.ASCII.GetString(bytes.AsSpan(head.HeadEnd)));
    }

    [Fact]
    public void IsInterim_IsTrueFor100ButNotFor101()
    {
        var head = new ResponseHead();
        Http1Parser.ParseResponseHead(Bytes("HTTP/1.1 100 Continue\r\n\r\n"), head, requestWasHead: false);
        Assert.True(head.IsInterim);
        Http1Parser.ParseResponseHead(Bytes("HTTP/1.1 101 Switching Protocols\r\n\r\n"), head, requestWasHead: false);
        Assert.False(head.IsInterim);
    }
}
