using BenchmarkDotNet.Attributes;
using Sozu.Net.Http2.Frames;
using Sozu.Net.Http2.Hpack;

namespace Sozu.Benchmarks.Http2;

/// <summary>
/// The frame layer: reading what a browser sends at the start of a connection (SETTINGS,
/// WINDOW_UPDATE, a HEADERS with priority, a PRIORITY, DATA, PING, SETTINGS ACK: 7 frames), and
/// writing a response's frames (HEADERS, two 16 KiB DATA, WINDOW_UPDATE, PING ACK).
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private readonly FrameReader _reader = new(Http2Role.Server);
    private readonly byte[] _output = new byte[40_000];
    private readonly byte[] _body = new byte[16_384];
    private readonly byte[] _responseBlock = [0x88, 0x5f, 0x87, 0x49, 0x7c, 0xa5, 0x8a, 0xe8, 0x19, 0xaa];
    private byte[] _input = [];

    [GlobalSetup]
    public void Setup()
    {
        var block = new byte[1024];
        var encoder = new HpackEncoder();
        encoder.TryBeginBlock(block, out var blockLength);
        foreach (var (name, value) in BrowserRequest.Fields)
        {
            encoder.TryEncode(name, value, HpackIndexing.Incremental, block.AsSpan(blockLength), out var written);
            blockLength += written;
        }
        var length = 0;
        length += FrameWriter.WriteSettings(_output.AsSpan(length), [new Setting(SettingId.HeaderTableSize, 65_536), new Setting(SettingId.EnablePush, 0), new Setting(SettingId.InitialWindowSize, 6_291_456), new Setting(SettingId.MaxHeaderListSize, 262_144)]);
        length += FrameWriter.WriteWindowUpdate(_output.AsSpan(length), 0, 15_663_105);
        length += FrameWriter.WriteHeaders(_output.AsSpan(length), 1, block.AsSpan(0, blockLength), endStream: false, endHeaders: true, new PriorityFields(0, true, 255));
        length += FrameWriter.WritePriority(_output.AsSpan(length), 3, new PriorityFields(0, false, 15));
        length += FrameWriter.WriteData(_output.AsSpan(length), 1, _body.AsSpan(0, 1024), endStream: true);
        length += FrameWriter.WritePing(_output.AsSpan(length), 0x0102030405060708, ack: false);
        length += FrameWriter.WriteSettingsAck(_output.AsSpan(length));
        _input = _output.AsSpan(0, length).ToArray();
        if (ReadAll() != 7)
        {
            throw new InvalidOperationException("benchmark input does not read as 7 frames");
        }
    }

    [Benchmark]
    public int ReadAll()
    {
        var rest = _input.AsSpan();
        var frames = 0;
        while (_reader.Read(rest, out var frame, out _) == FrameReadStatus.Frame)
        {
            frames++;
            rest = rest[frame.TotalLength..];
        }
        return frames;
    }

    [Benchmark]
    public int WriteResponse()
    {
        var span = _output.AsSpan();
        var length = FrameWriter.WriteHeaders(span, 1, _responseBlock, endStream: false, endHeaders: true);
        length += FrameWriter.WriteData(span[length..], 1, _body, endStream: false);
        length += FrameWriter.WriteData(span[length..], 1, _body, endStream: true);
        length += FrameWriter.WriteWindowUpdate(span[length..], 0, 32_768);
        length += FrameWriter.WritePing(span[length..], 0x0102030405060708, ack: true);
        return length;
    }
}
