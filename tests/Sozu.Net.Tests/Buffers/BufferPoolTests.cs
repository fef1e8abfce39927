using Sozu.Net.Buffers;
using Xunit;

namespace Sozu.Net.Tests.Buffers;

public class BufferPoolTests
{
    [Fact]
    public void Rent_PastMaxBuffers_ReturnsNull_AndCountsTheRefusal()
    {
        using var pool = new BufferPool(4096, 2);
        var a = pool.Rent();
        var b = pool.Rent();

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(pool.Rent());
        Assert.Equal(2, pool.InUse);
        Assert.Equal(1, pool.Exhausted);
        Assert.True(pool.IsExhausted);
        pool.Return(a!);
        pool.Return(b!);
    }

    [Fact]
    public void Return_ThenRent_ReusesTheSameBufferClean()
    {
        using var pool = new BufferPool(4096, 2);
        var buffer = pool.Rent()!;
        buffer.End = 100;
        pool.Return(buffer);

        var again = pool.Rent()!;
        Assert.Same(buffer, again);
        Assert.True(again.IsEmpty);
        Assert.Equal(1, pool.Created);
        pool.Return(again);
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void Return_Twice_Throws()
    {
        using var pool = new BufferPool(4096, 1);
        var buffer = pool.Rent()!;
        pool.Return(buffer);
        Assert.Throws<InvalidOperationException>(() => pool.Return(buffer));
    }

    [Fact]
    public void ConsumeAndCompact_KeepUnreadBytesInOrder()
    {
        using var pool = new BufferPool(4096, 1);
        var buffer = pool.Rent()!;
        "hello world"u8.CopyTo(buffer.Writable);
        buffer.End = 11;
        buffer.Consume(6);
        buffer.Compact();

        Assert.Equal(0, buffer.Start);
        Assert.Equal("world"u8.ToArray(), buffer.Readable.ToArray());
        buffer.Consume(5);
        Assert.True(buffer.IsEmpty);
        Assert.Equal(0, buffer.End);
        pool.Return(buffer);
    }

    [Fact]
    public void Trim_GivesBackColdBuffers_KeepsTheWarmOnes_AndTrimmedOnesStillWork()
    {
        using var pool = new BufferPool(16384, 64);
        var leased = Enumerable.Range(0, 40).Select(_ => pool.Rent()!).ToList();
        foreach (var buffer in leased)
        {
            buffer.Writable.Fill(0xAB);
            pool.Return(buffer);
        }
        Assert.True(pool.HasSurplus);

        Assert.Equal(40 - BufferPool.KeepWarm, pool.Trim());
        Assert.False(pool.HasSurplus);
        Assert.Equal(0, pool.Trim());

        var again = Enumerable.Range(0, 40).Select(_ => pool.Rent()!).ToList();
        foreach (var buffer in again)
        {
            "still usable"u8.CopyTo(buffer.Writable);
            buffer.End = 12;
            Assert.Equal("still usable"u8.ToArray(), buffer.Readable.ToArray());
            pool.Return(buffer);
        }
        Assert.Equal(40, pool.Created);
        Assert.Equal(0, pool.InUse);
    }
}
