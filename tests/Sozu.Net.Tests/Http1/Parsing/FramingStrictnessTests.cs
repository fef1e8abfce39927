using System.Text;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Parsing;

/// <summary>
/// Issue 11, items 3 and 5 at parser level: Transfer-Encoding lists that are not a clean
/// "chunked", other transfer codings, h2c upgrades, and the same strictness on responses.
/// Every prefix of a head is parsed, as the session does when a head arrives in pieces.
/// </summary>
public class FramingStrictnessTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static string Request(string fields) => "POST /upload HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";

    public static TheoryData<string> BadTransferEncodingLists => new()
    {
        Request("Transfer-Encoding: ,chunked\r\n"),
        Request("Transfer-Encoding: , chunked\r\n"),
        Request("Transfer-Encoding: chunked,\r\n"),
        Request("Transfer-Encoding: chunked, \r\n"),
        Request("Transfer-Encoding: chunked, chunked\r\n"),
        Request("Transfer-Encoding: chunked,,\r\n"),
        Request("Transfer-Encoding: gzip,,chunked\r\n"),
        Request("Transfer-Encoding:\r\n"),
        Request("Transfer-Encoding: \r\nTransfer-Encoding: chunked\r\n"),
        Request("Transfer-Encoding: chunked\r\nTransfer-Encoding: ,\r\n"),
        Request("Transfer-Encoding: chunked;q=1\r\n"),
        Request("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"),
        Request("Transfer-Encoding: x chunked\r\n"),
    };

    public static TheoryData<string> OtherCodings => new()
    {
        Request("Transfer-Encoding: gzip, chunked\r\n"),
        Request("Transfer-Encoding: identity, chunked\r\n"),
        Request("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
        Request("Transfer-Encoding: x-custom,chunked\r\n"),
    };

    [Theory]
    [MemberData(nameof(BadTransferEncodingLists))]
    public void ParseRequestHead_TransferEncodingNotACleanList_IsInvalidFromTheFieldOn(string request)
    {
        var bytes = Bytes(request);
        var head = new RequestHead();
        var seenInvalid = false;
        for (var length = 0; length <= bytes.Length; length++)
        {
            var status = Http1Parser.ParseRequestHead(bytes.AsSpan(0, length), head);
            Assert.True(status is ParseStatus.Incomplete or ParseStatus.Invalid, $"{status} at {length}");
            Assert.False(seenInvalid && status != ParseStatus.Invalid);
            seenInvalid |= status == ParseStatus.Invalid;
        }
        Assert.True(seenInvalid);
    }

    [Theory]
    [MemberData(nameof(OtherCodings))]
    public void ParseRequestHead_ChunkedAfterAnotherCoding_IsNotImplementedOnceTheHeadIsWhole(string request)
    {
        var bytes = Bytes(request);
        var head = new RequestHead();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(ParseStatus.Incomplete, Http1Parser.ParseRequestHead(bytes.AsSpan(0, length), head));
        }
        Assert.Equal(ParseStatus.NotImplemented, Http1Parser.ParseRequestHead(bytes, head));
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: CHUNKED\r\n")]
    [InlineData("Transfer-Encoding: \tchunked \r\n")]
    public void ParseRequestHead_CleanChunked_IsChunked(string field)
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes(Request(field)), head));
        Assert.Equal(BodyKind.Chunked, head.Body);
        Assert.False(head.HasOtherCoding);
    }

    [Theory]
    [InlineData("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n", false)]
    [InlineData("Connection: Upgrade\r\nUpgrade: H2C\r\n", false)]
    [InlineData("Connection: Upgrade\r\nUpgrade: h2c, h2c\r\n", false)]
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket\r\n", true)]
    [InlineData("Connection: Upgrade\r\nUpgrade: h2c, websocket\r\n", true)]
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket\r\nUpgrade: h2c\r\n", true)]
    public void ParseRequestHead_UpgradeOfferingOnlyH2c_IsAPlainRequest(string fields, bool upgrade)
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(Bytes("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n"), head));
        Assert.Equal(upgrade, head.IsUpgrade);
    }

    private static string Forward(string request)
    {
        var source = Bytes(request);
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(source, head));
        var destination = new byte[4096];
        var context = new ForwardingContext("192.0.2.7"u8, "10.0.0.1"u8, 80, false, "01JDQ0000000000000000000AB"u8);
        var written = RequestHeadWriter.Write(source, head, context, destination);
        Assert.True(written > 0);
        return Encoding.Latin1.GetString(destination, 0, written);
    }

    [Fact]
    public void Write_H2cUpgrade_ForwardsAPlainRequestWithoutUpgradeOrSettings()
    {
        var forwarded = Forward("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nAccept: */*\r\n\r\n");

        Assert.StartsWith("GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nX-Forwarded-For: ", forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain("h2c", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("HTTP2-Settings", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Upgrade", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Connection: keep-alive\r\n\r\n", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HTTP2SettingsWithoutConnectionNamingIt_IsDroppedToo()
    {
        var forwarded = Forward("GET / HTTP/1.1\r\nHost: a\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nUpgrade: h2c\r\n\r\n");

        Assert.DoesNotContain("HTTP2-Settings", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("h2c", forwarded, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Upgrade: websocket, h2c\r\n", "Upgrade: websocket\r\n")]
    [InlineData("Upgrade: h2c,websocket\r\n", "Upgrade: websocket\r\n")]
    [InlineData("Upgrade: h2c\r\nUpgrade: websocket\r\n", "Upgrade: websocket\r\n")]
    public void Write_WebSocketUpgradeAlsoOfferingH2c_KeepsOnlyTheWebSocket(string upgrade, string expected)
    {
        var forwarded = Forward("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n" + upgrade + "Sec-WebSocket-Key: k\r\n\r\n");

        Assert.Contains(expected, forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain("h2c", forwarded, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Connection: Upgrade\r\n\r\n", forwarded, StringComparison.Ordinal);
    }

    public static TheoryData<string> MalformedResponses => new()
    {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked,\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Nul: a\0b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Lf: a\nb: c\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 +20 OK\r\nContent-Length: 0\r\n\r\n",
        "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Space : v\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public void ParseResponseHead_Malformed_IsNeverCompleteAndOnceInvalidStaysInvalid(string response)
    {
        var bytes = Bytes(response);
        var head = new ResponseHead();
        var seenInvalid = false;
        for (var length = 0; length <= bytes.Length; length++)
        {
            var status = Http1Parser.ParseResponseHead(bytes.AsSpan(0, length), head, requestWasHead: false);
            Assert.True(status is ParseStatus.Incomplete or ParseStatus.Invalid, $"{status} at {length}");
            Assert.False(seenInvalid && status != ParseStatus.Invalid);
            seenInvalid |= status == ParseStatus.Invalid;
        }
        Assert.True(seenInvalid);
    }

    [Fact]
    public void ParseResponseHead_ACodingBeforeChunked_IsChunked()
    {
        // Legal from a backend (the client decodes gzip); only the framing concerns the proxy.
        var head = new ResponseHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseResponseHead(Bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), head, requestWasHead: false));
        Assert.Equal(BodyKind.Chunked, head.Body);
    }
}
