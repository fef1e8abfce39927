using System.Text;
using Sozu.Net.Buffers;
using Sozu.Net.Limits;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Limits;

/// <summary>
/// Buffers as a defended resource: a partial request head holds a stash of about its size, not a
/// pool buffer; incomplete heads are capped per IP (408); when the pool runs low the oldest are
/// evicted (408) so that a complete request still finds a buffer; pipelined requests behind a
/// stalled response wait in a stash too.
/// </summary>
public class IncompleteHeadsTests
{
    private sealed class Owner : IIncompleteHeadOwner
    {
        public int Evictions { get; private set; }

        public IncompleteHeadNode Node { get; }

        public Owner() => Node = new IncompleteHeadNode(this);

        public void EvictIncompleteHead() => Evictions++;
    }

    [Fact]
    public void List_CapsPerIp_AndEvictsTheOldestButTheCaller()
    {
        var heads = new IncompleteHeads();
        var ip = new ClientIp(0, 0x7F000001);
        var other = new ClientIp(0, 0x7F000002);
        var first = new Owner();
        var second = new Owner();
        var third = new Owner();
        var fromOther = new Owner();
        Assert.True(heads.Enter(first.Node, ip, 2));
        Assert.True(heads.Enter(first.Node, ip, 2)); // already listed: counted once
        Assert.True(heads.Enter(second.Node, ip, 2));
        Assert.False(heads.Enter(third.Node, ip, 2));
        Assert.True(heads.Enter(fromOther.Node, other, 2));
        Assert.Equal((3, 1L, 2), (heads.Count, heads.RefusedPerIp, heads.CountOf(ip)));

        // The oldest is the caller: the next one goes instead.
        Assert.True(heads.EvictOldest(first.Node));
        Assert.Equal((0, 1, 0), (first.Evictions, second.Evictions, fromOther.Evictions));
        Assert.True(heads.EvictOldest(null));
        Assert.Equal(1, first.Evictions);
        Assert.Equal(0, heads.CountOf(ip));
        heads.Leave(fromOther.Node);
        heads.Leave(fromOther.Node);
        Assert.Equal(0, heads.Count);
        Assert.False(heads.EvictOldest(null));
        Assert.Equal(2, heads.Evicted);
        // 0 is no cap.
        for (var i = 0; i < 100; i++)
        {
            Assert.True(heads.Enter(new Owner().Node, ip, 0));
        }
    }

    [Fact]
    public void Stash_RentsTheSizeAbove_CountsBytesHeld_AndRefusesOverItsLimit()
    {
        var stash = new HeadStash();
        var small = stash.Rent(100);
        var medium = stash.Rent(600);
        var large = stash.Rent(HeadStash.MaxLength);
        Assert.Equal((512, 2048, 8192), (small.Length, medium.Length, large.Length));
        Assert.Equal(512 + 2048 + 8192, stash.BytesHeld);
        stash.Return(small);
        Assert.Same(small, stash.Rent(1));
        stash.Return(small);
        stash.Return(medium);
        stash.Return(large);
        Assert.Equal(0, stash.BytesHeld);
        Assert.Throws<ArgumentOutOfRangeException>(() => stash.Rent(HeadStash.MaxLength + 1));
    }

    [Fact]
    public void HighWatermark_KeepsATenthOfThePool()
    {
        Assert.Equal(900, ProxyCore.HighWatermarkOf(1000));
        Assert.Equal(9, ProxyCore.HighWatermarkOf(10));
        Assert.Equal(1, ProxyCore.HighWatermarkOf(1));
    }

    [Fact(Timeout = 30_000)]
    public async Task PartialHead_WaitsInAStash_WithoutAPoolBuffer_ThenCompletes()
    {
        await Task.Yield();
        using var backend = HttpBackend.Named("ok");
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Send("GET / HTTP/1.1\r\nHost: app.te");
        await Worker.LimitsTests.WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).IncompleteHeads == 1);
        var waiting = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(0, waiting.BuffersInUse);
        Assert.Equal(512, waiting.HeadBytesStashed);

        client.Send("st\r\n\r\n");
        var response = client.Response();
        Assert.Equal(200, response.Status);
        var done = await harness.Worker.QueryMetricsAsync();
        Assert.Equal((0, 0L), (done.IncompleteHeads, done.HeadBytesStashed));
    }

    [Fact(Timeout = 30_000)]
    public async Task IncompleteHeadsOverThePerIpCap_Get408AndAreClosed()
    {
        await Task.Yield();
        using var backend = HttpBackend.Named("ok");
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxIncompleteHeadsPerIp = 2 },
            WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var first = HttpClientConnection.Open(address);
        using var second = HttpClientConnection.Open(address);
        first.Send("GET / HTTP/1.1\r\n");
        second.Send("GET / HTTP/1.1\r\n");
        await Worker.LimitsTests.WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).IncompleteHeads == 2);

        using var third = HttpClientConnection.Open(address);
        third.Send("GET / HTTP/1.1\r\n");
        Assert.Equal(408, third.Response().Status);
        Assert.True(third.ClosedWithin(TimeSpan.FromSeconds(3)));
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(1, metrics.HeadsRefusedPerIp);
        Assert.Equal(2, metrics.IncompleteHeads);

        // The two under the cap go on; a complete request from the same IP is never counted.
        first.Send("Host: app.test\r\n\r\n");
        Assert.Equal(200, first.Response().Status);
        using var complete = HttpClientConnection.Open(address);
        Assert.Equal(200, complete.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task PoolRunningLow_EvictsTheOldestIncompleteHead_SoACompleteRequestIsServed()
    {
        await Task.Yield();
        using var backend = HttpBackend.Named("ok");
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxBuffers = 10, BufferSize = 16384, MaxIncompleteHeadsPerIp = 0 },
            WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10));
        var address = harness.BoundAddress();
        // Partial heads longer than the stash takes keep their pool buffer.
        var partial = "GET / HTTP/1.1\r\nHost: app.test\r\nX-Pad: " + new string('a', HeadStash.MaxLength + 100);
        var holders = new List<HttpClientConnection>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var holder = HttpClientConnection.Open(address);
                holders.Add(holder);
                holder.Send(partial);
                var expected = i + 1;
                await Worker.LimitsTests.WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).IncompleteHeads == expected);
            }
            var full = await harness.Worker.QueryMetricsAsync();
            Assert.Equal(8, full.BuffersInUse);
            Assert.Equal(0, full.HeadsEvicted);

            // The 9th buffer reaches the high watermark (9 of 10): the oldest head goes.
            using var complete = HttpClientConnection.Open(address);
            Assert.Equal(200, complete.Get("app.test", "/").Status);
            Assert.Equal(408, holders[0].Response().Status);
            Assert.True(holders[0].ClosedWithin(TimeSpan.FromSeconds(3)));
            var after = await harness.Worker.QueryMetricsAsync();
            Assert.True(after.HeadsEvicted >= 1, $"evicted {after.HeadsEvicted}");
            Assert.True(after.BuffersInUse < 9, $"{after.BuffersInUse} buffers in use");
            Assert.Equal(0, after.BufferExhaustions);
        }
        finally
        {
            foreach (var holder in holders)
            {
                holder.Dispose();
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task PipelinedRequests_BehindAStalledResponse_WaitInAStash()
    {
        await Task.Yield();
        const int big = 1 << 20;
        using var backend = new HttpBackend((request, stream) =>
        {
            if (request.Target == "/big")
            {
                stream.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {big}\r\n\r\n"));
                stream.Write(new byte[big]);
            }
            else
            {
                HttpBackend.Ok(request, stream);
            }
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Socket.ReceiveBufferSize = 4096;
        client.Send("GET /big HTTP/1.1\r\nHost: app.test\r\n\r\nGET /a HTTP/1.1\r\nHost: app.test\r\n\r\nGET /b HTTP/1.1\r\nHost: app.test\r\n\r\n");
        // The client reads nothing: the response stalls with one buffer, the two requests behind it
        // in a stash. The requests are stashed before the response arrives (0 buffers then), so the
        // wait is for the stalled state; were the requests holding a buffer it would stay at 2.
        await Worker.LimitsTests.WaitFor(async () =>
        {
            var metrics = await harness.Worker.QueryMetricsAsync();
            return metrics.HeadBytesStashed > 0 && metrics.BuffersInUse == 1;
        });

        var first = client.Response();
        Assert.Equal((200, big), (first.Status, first.Body.Length));
        Assert.Equal("GET /a", client.Response().BodyText);
        Assert.Equal("GET /b", client.Response().BodyText);
    }
}
