using Sozu.Net.Http2.Frames;
using Sozu.Net.Http2.Hpack;
using Xunit;

namespace Sozu.Net.Tests.Http2;

/// <summary>
/// The HTTP/2 building blocks allocate nothing per frame or per field block once constructed:
/// counted on this thread over many operations after a warm-up (the benchmarks show the same
/// figure per operation).
/// </summary>
public class Http2AllocationTests
{
    private const int Rounds = 200;

    // RFC 7541 C.4.1 to C.4.3: literals, Huffman strings, dynamic table inserts and indexes.
    private static readonly byte[][] Blocks =
    [
        Convert.FromHexString("828684418cf1e3c2e5f23a6ba0ab90f4ff"),
        Convert.FromHexString("828684be5886a8eb10649cbf"),
        Convert.FromHexString("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"),
    ];

    [Fact]
    public void HpackDecode_SteadyState_AllocatesNothing()
    {
        var decoder = new HpackDecoder();
        var visitor = new LengthVisitor();
        DecodeAll(decoder, ref visitor);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            DecodeAll(decoder, ref visitor);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(visitor.Bytes > 0);
    }

    [Fact]
    public void HpackEncode_SteadyState_AllocatesNothing()
    {
        var encoder = new HpackEncoder();
        var output = new byte[512];
        var name = "x-custom-header"u8.ToArray();
        var value = "some value that is not in any table"u8.ToArray();
        encoder.TryEncode(name, value, HpackIndexing.Incremental, output, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            encoder.TryBeginBlock(output, out var length);
            encoder.TryEncode(":method"u8, "GET"u8, HpackIndexing.Incremental, output.AsSpan(length), out _);
            encoder.TryEncode(name, value, HpackIndexing.Incremental, output, out _);
            encoder.TryEncode(name, value, HpackIndexing.WithoutIndexing, output, out _);
            encoder.TryEncode("cookie"u8, value, HpackIndexing.NeverIndexed, output, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void FrameReadAndWrite_AllocateNothing()
    {
        var reader = new FrameReader(Http2Role.Server);
        var buffer = new byte[1024];
        var length = FrameWriter.WriteHeaders(buffer, 1, Blocks[0], endStream: true, endHeaders: false, new PriorityFields(0, true, 255), padLength: 3);
        length += FrameWriter.WriteContinuation(buffer.AsSpan(length), 1, Blocks[1], endHeaders: true);
        length += FrameWriter.WriteData(buffer.AsSpan(length), 1, Blocks[2], endStream: true, padLength: 8);
        length += FrameWriter.WriteSettings(buffer.AsSpan(length), [new Setting(SettingId.MaxFrameSize, 32_768)]);
        length += FrameWriter.WriteWindowUpdate(buffer.AsSpan(length), 0, 1000);
        length += FrameWriter.WritePing(buffer.AsSpan(length), 42, ack: false);
        length += FrameWriter.WriteGoAway(buffer.AsSpan(length), 1, Http2ErrorCode.NoError);
        var input = buffer.AsSpan(0, length).ToArray();
        Assert.Equal(7, ReadAll(reader, input));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var frames = 0;
        for (var i = 0; i < Rounds; i++)
        {
            frames += ReadAll(reader, input);
            FrameWriter.WriteData(buffer, 1, Blocks[2], endStream: false);
            FrameWriter.WriteRstStream(buffer, 1, Http2ErrorCode.Cancel);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(7 * Rounds, frames);
    }

    private static int ReadAll(FrameReader reader, ReadOnlySpan<byte> input)
    {
        var frames = 0;
        long settings = 0;
        while (reader.Read(input, out var frame, out _) == FrameReadStatus.Frame)
        {
            foreach (var setting in frame.Settings)
            {
                settings += setting.Value;
            }
            frames++;
            input = input[frame.TotalLength..];
        }
        return settings > 0 ? frames : -1;
    }

    private static void DecodeAll(HpackDecoder decoder, ref LengthVisitor visitor)
    {
        foreach (var block in Blocks)
        {
            // Not Assert.Equal: the check itself must not allocate inside the counted loop.
            if (decoder.Decode(block, ref visitor) != HpackError.None)
            {
                throw new InvalidOperationException("an RFC 7541 block did not decode");
            }
        }
    }

    private struct LengthVisitor : IHpackHeaderVisitor
    {
        public long Bytes;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) => Bytes += name.Length + value.Length;
    }
}
