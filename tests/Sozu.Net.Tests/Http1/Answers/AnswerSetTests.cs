using System.Text;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Answers;

public class AnswerSetTests
{
    private const string Id = "01JDQ0000000000000000000AB";

    private static string Write(AnswerSet set, int status, string host = "", string target = "", int port = 0)
    {
        var destination = new byte[2048];
        var written = set.Write(status, destination, new AnswerContext(Encoding.ASCII.GetBytes(Id), Encoding.ASCII.GetBytes(host), Encoding.ASCII.GetBytes(target), port));
        return written < 0 ? "<does not fit>" : Encoding.UTF8.GetString(destination, 0, written);
    }

    public static TheoryData<int> Statuses => [.. DefaultAnswers.Raw.Keys];

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Default_EveryAnswer_IsAValidResponseWhoseContentLengthIsItsBody(int status)
    {
        var text = Write(AnswerSet.Default, status, "a.com", "/x");
        var bytes = Encoding.UTF8.GetBytes(text);
        var head = new ResponseHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseResponseHead(bytes, head, requestWasHead: false));
        Assert.Equal(status, head.StatusCode);
        Assert.Equal(bytes.Length - head.HeadEnd, Math.Max(0, head.ContentLength));
        Assert.Contains("Sozu-Id: " + Id + "\r\n", text, StringComparison.Ordinal);
        Assert.Equal(DefaultAnswers.MustClose(status), (head.Connection & ConnectionOptions.Close) != 0);
        Assert.Equal(DefaultAnswers.MustClose(status), AnswerSet.Default[status].ClosesConnection);
    }

    [Fact]
    public void Default_429_SaysWhenToRetry()
    {
        Assert.Contains("Retry-After: 60\r\n", Write(AnswerSet.Default, 429), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.com", "/p?q=1", 0, "https://a.com/p?q=1")]
    [InlineData("a.com:8080", "/", 443, "https://a.com/")]
    [InlineData("a.com:8080", "", 8443, "https://a.com:8443/")]
    [InlineData("[::1]:80", "/x", 0, "https://[::1]/x")]
    [InlineData("a.com", "?q", 0, "https://a.com/?q")]
    public void Default_301_RedirectsToHttpsOnTheSameHostAndTarget(string host, string target, int port, string location)
    {
        var text = Write(AnswerSet.Default, 301, host, target, port);
        Assert.StartsWith("HTTP/1.1 301 Moved Permanently\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Location: " + location + "\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OperatorAnswerWithBareLineFeedsAndWrongLength_IsNormalised()
    {
        var set = AnswerSet.Create(StringMap.From([new("404", "HTTP/1.1 404 Gone Fishing\nContent-Length: 999\nX-Custom: yes\n\nnot here, id %REQUEST_ID\n")]));
        Assert.Equal(
            "HTTP/1.1 404 Gone Fishing\r\nX-Custom: yes\r\nContent-Length: 41\r\n\r\nnot here, id " + Id + "\r\n",
            Write(set, 404));
        Assert.Contains("No frontend", Write(AnswerSet.Default, 404), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AnswerThatMustClose_GetsConnectionClose()
    {
        var set = AnswerSet.Create(StringMap.From([new("502", "HTTP/1.1 502 Oops\r\n\r\n")]));
        Assert.Equal("HTTP/1.1 502 Oops\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", Write(set, 502));
        Assert.True(set[502].ClosesConnection);
    }

    [Fact]
    public void ForCluster_Its503WithClusterId_OverridesTheListenerOnly()
    {
        var listener = AnswerSet.Create(StringMap.From([new("404", "HTTP/1.1 404 Listener\r\n\r\n")]));
        var cluster = AnswerSet.ForCluster(listener, new Cluster { ClusterId = "shop", Answer503 = "HTTP/1.1 503 Down\r\nX-Cluster: %CLUSTER_ID\r\n\r\n%CLUSTER_ID is down" });
        Assert.Equal("HTTP/1.1 503 Down\r\nX-Cluster: shop\r\nConnection: close\r\nContent-Length: 12\r\n\r\nshop is down", Write(cluster, 503));
        Assert.StartsWith("HTTP/1.1 404 Listener", Write(cluster, 404), StringComparison.Ordinal);
        Assert.Same(listener, AnswerSet.ForCluster(listener, new Cluster { ClusterId = "plain" }));
    }

    [Fact]
    public void Create_BadAnswers_ReportsEveryError()
    {
        var error = Assert.Throws<ArgumentException>(() => AnswerSet.Create(StringMap.From(
        [
            new("404", "HTTP/1.1 503 Wrong\r\n\r\n"),
            new("999", "HTTP/1.1 999 Nope\r\n\r\n"),
            new("400", "garbage"),
            new("401", "HTTP/1.1 401 X\r\nno colon here\r\n\r\n"),
        ])));
        Assert.Contains("answer 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("answer '999'", error.Message, StringComparison.Ordinal);
        Assert.Contains("answer 400", error.Message, StringComparison.Ordinal);
        Assert.Contains("answer 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForCluster_ClusterIdWithLineBreakInAHeader_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => AnswerSet.ForCluster(AnswerSet.Default,
            new Cluster { ClusterId = "a\r\nSet-Cookie: x", Answer503 = "HTTP/1.1 503 Down\r\nX-Cluster: %CLUSTER_ID\r\n\r\n" }));
    }

    [Fact]
    public void Write_DestinationTooSmall_ReturnsMinusOne()
    {
        Assert.Equal(-1, AnswerSet.Default.Write(404, new byte[20], new AnswerContext(Encoding.ASCII.GetBytes(Id))));
    }

    [Fact]
    public void Write_AllocatesNothing()
    {
        var destination = new byte[1024];
        var id = Encoding.ASCII.GetBytes(Id);
        var host = "a.com"u8.ToArray();
        var target = "/x"u8.ToArray();
        AnswerSet.Default.Write(301, destination, new AnswerContext(id, host, target));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            AnswerSet.Default.Write(301, destination, new AnswerContext(id, host, target));
            AnswerSet.Default.Write(503, destination, new AnswerContext(id));
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
