using BenchmarkDotNet.Attributes;
using Sozu.Net.Http2.Hpack;

namespace Sozu.Benchmarks.Http2;

/// <summary>
/// HPACK on a browser request (<see cref="BrowserRequest"/>, 19 fields): the first request of a
/// connection (literals, Huffman, inserted into the table) and a repeat (all indexes), decoded
/// and encoded. Each decoder and encoder is reused across operations, as on a connection.
/// </summary>
[MemoryDiagnoser]
public class HpackBenchmarks
{
    private readonly HpackDecoder _firstDecoder = new();
    private readonly HpackDecoder _repeatDecoder = new();
    private readonly HpackEncoder _staticOnly = new(maxTableSize: 0);
    private readonly HpackEncoder _withTable = new();
    private readonly byte[] _output = new byte[4096];
    private byte[] _first = [];
    private byte[] _repeat = [];
    private LengthVisitor _visitor;

    [GlobalSetup]
    public void Setup()
    {
        var encoder = new HpackEncoder();
        _first = Encode(encoder);
        _repeat = Encode(encoder);
        if (_repeatDecoder.Decode(_first, ref _visitor) != HpackError.None || _repeatDecoder.Decode(_repeat, ref _visitor) != HpackError.None)
        {
            throw new InvalidOperationException("benchmark blocks do not decode");
        }
        Encode(_withTable);
        Console.WriteLine($"// first request block {_first.Length} B, repeat {_repeat.Length} B");
    }

    /// <summary>The first request's block (every field a literal, most inserted into the table, so the table churns).</summary>
    [Benchmark]
    public long DecodeFirstRequest()
    {
        _visitor = default;
        _firstDecoder.Decode(_first, ref _visitor);
        return _visitor.Bytes;
    }

    /// <summary>The same request again on the connection: every field an index.</summary>
    [Benchmark]
    public long DecodeRepeatRequest()
    {
        _visitor = default;
        _repeatDecoder.Decode(_repeat, ref _visitor);
        return _visitor.Bytes;
    }

    [Benchmark]
    public int EncodeWithoutTable() => EncodeInto(_staticOnly);

    /// <summary>Steady state of a connection: the fields are all in the table already.</summary>
    [Benchmark]
    public int EncodeWithTable() => EncodeInto(_withTable);

    private int EncodeInto(HpackEncoder encoder)
    {
        encoder.TryBeginBlock(_output, out var length);
        foreach (var (name, value) in BrowserRequest.Fields)
        {
            encoder.TryEncode(name, value, HpackIndexing.Incremental, _output.AsSpan(length), out var written);
            length += written;
        }
        return length;
    }

    private byte[] Encode(HpackEncoder encoder) => _output.AsSpan(0, EncodeInto(encoder)).ToArray();

    private struct LengthVisitor : IHpackHeaderVisitor
    {
        public long Bytes;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) => Bytes += name.Length + value.Length;
    }
}
