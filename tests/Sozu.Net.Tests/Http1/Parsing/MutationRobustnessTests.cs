using System.Text;
using Sozu.Messages.Config;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;
using Sozu.Net.Routing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Parsing;

/// <summary>
/// Mutated messages must never throw on the event loop: an exception there takes the worker
/// down. Whatever the parser accepts must also be safe to route and to rewrite.
/// </summary>
public class MutationRobustnessTests
{
    private const int Mutations = 20_000;

    private static readonly byte[] Special = [.. "\r\n: \t\0;,=?/#%[]\"0aA"u8, 0x7F, 0xFF];

    private static readonly string[] Seeds =
    [
        "GET /a/b?c=d HTTP/1.1\r\nHost: example.com:80\r\nCookie: a=1; SOZUBALANCEID=x\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n\r\n",
        "POST http://h.example/p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
        "PUT /u HTTP/1.0\r\nContent-Length: 10\r\nX-Forwarded-For: 1.2.3.4\r\nForwarded: for=1.2.3.4\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: w\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    ];

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void MutatedRequests_NeverThrow_AndWhatParsesRoutesAndRewritesWithinBounds(int seed)
    {
        var random = new Random(seed);
        var head = new RequestHead("SOZUBALANCEID");
        var router = new Router();
        router.Add(new HttpFrontend { Address = "127.0.0.1:80", Hostname = "*", Path = PathRule.Regex("/a/.*"), ClusterId = "c" });
        router.Add(new HttpFrontend { Address = "127.0.0.1:80", Hostname = "*.example", Path = PathRule.Equal("/p"), ClusterId = "d" });
        var output = new byte[8192];
        var id = new byte[RequestIdGenerator.Length];
        var completed = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var bytes = Mutate(random, Encoding.Latin1.GetBytes(Seeds[random.Next(Seeds.Length)]));
            var status = Http1Parser.ParseRequestHead(bytes, head);
            Assert.True(Enum.IsDefined(status));
            if (status != ParseStatus.Complete)
            {
                continue;
            }
            completed++;
            Assert.InRange(head.HeadEnd, 1, bytes.Length);
            foreach (var header in head.Headers)
            {
                Assert.InRange(header.ValueStart + header.ValueLength, 0, head.HeadEnd);
            }
            foreach (var range in new[] { head.Method, head.Target, head.Path, head.Query, head.Host, head.StickyCookiePair, head.PathAndQuery })
            {
                Assert.InRange(range.End, 0, head.HeadEnd);
                Assert.True(range.Length >= 0);
            }
            router.Lookup(head.RoutingHost.Of(bytes), head.Path.Of(bytes), head.Method.Of(bytes));
            Assert.True(RequestHeadWriter.Write(bytes, head, new ForwardingContext("192.0.2.1"u8, "::1"u8, 80, false, id), output) > 0);
        }
        Assert.True(completed > Mutations / 20, $"only {completed} mutations parsed: the test exercises too little");
    }

    [Theory]
    [InlineData(31)]
    public void MutatedResponsesAndChunkedBodies_NeverThrow(int seed)
    {
        var random = new Random(seed);
        var head = new ResponseHead();
        var output = new byte[8192];
        var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close, X-B\r\nX-B: 2\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n");
        for (var i = 0; i < Mutations; i++)
        {
            var bytes = Mutate(random, response);
            if (Http1Parser.ParseResponseHead(bytes, head, requestWasHead: random.Next(4) == 0) == ParseStatus.Complete)
            {
                Assert.True(ResponseHeadWriter.Write(bytes, head, new ResponseContext("id"u8, false, false, default, "S"u8, "v"u8), output) > 0);
                var scanner = new ChunkedBodyScanner();
                var status = scanner.Scan(bytes.AsSpan(head.HeadEnd), out var consumed);
                Assert.True(Enum.IsDefined(status));
                Assert.InRange(consumed, 0, bytes.Length - head.HeadEnd);
            }
        }
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            var b = random.Next(3) == 0 ? (byte)random.Next(256) : Special[random.Next(Special.Length)];
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = b;
                    break;
                case 1:
                    bytes.Insert(at, b);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }
        return [.. bytes];
    }
}
