using Sozu.Net.Http2.Hpack;

namespace Sozu.Fuzz.Targets;

/// <summary>The HPACK decoder (<see cref="HpackDecoder"/>) on field blocks, and the encoder on what it decoded.</summary>
public sealed class HpackBlockTarget : FuzzTarget
{
    private static readonly int[] TableSizes = [0, 64, 256, 4096];

    public override string Name => "hpack-block";

    public override string Checks =>
        "no exception; the first byte picks the table size (0, 64, 256, 4096) and the list limit, the rest is decoded as two blocks in a row on one decoder; "
        + "the table stays within its capacity and limit; the visitor hears no more than the list limit; "
        + "a block that decodes, re-encoded by HpackEncoder (table and Huffman on or off), decodes to the same fields";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        var tableSize = TableSizes[input[0] & 3];
        var listLimit = (input[0] & 4) != 0 ? 256 : 16_384;
        var decoder = new HpackDecoder(maxTableSize: tableSize, maxHeaderListSize: listLimit);
        var block = input[1..];
        for (var round = 0; round < 2; round++)
        {
            var fields = new Collector();
            var error = decoder.Decode(block, ref fields);
            Invariant.That(Enum.IsDefined(error), "the result is an HpackError");
            Invariant.That(decoder.TableSize <= decoder.TableCapacity && decoder.TableCapacity <= tableSize, "the table stays within its capacity and limit");
            Invariant.That(fields.ListSize <= listLimit, "the visitor never hears more than the list limit");
            if (error != HpackError.None)
            {
                return;
            }
            ReEncode(fields, (input[0] & 8) != 0, (input[0] & 16) == 0);
        }
    }

    private static void ReEncode(Collector fields, bool withTable, bool huffman)
    {
        var encoder = new HpackEncoder(maxTableSize: withTable ? 4096 : 0) { UseHuffman = huffman };
        var decoder = new HpackDecoder(maxTableSize: 4096, maxHeaderListSize: 1 << 20);
        var buffer = new byte[(2 * fields.Bytes) + (16 * fields.Names.Count) + 16];
        Invariant.That(encoder.TryBeginBlock(buffer, out var length), "a block begins in 16 bytes");
        for (var i = 0; i < fields.Names.Count; i++)
        {
            var indexing = fields.NeverIndexed[i] ? HpackIndexing.NeverIndexed : HpackIndexing.Incremental;
            Invariant.That(encoder.TryEncode(fields.Names[i], fields.Values[i], indexing, buffer.AsSpan(length), out var written), "a field fits in twice its length plus 16");
            length += written;
        }
        var again = new Collector();
        var error = decoder.Decode(buffer.AsSpan(0, length), ref again);
        Invariant.That(error == HpackError.None, $"a re-encoded block decodes ({error})");
        Invariant.That(again.Names.Count == fields.Names.Count, "a re-encoded block has as many fields");
        for (var i = 0; i < fields.Names.Count; i++)
        {
            Invariant.That(again.Names[i].AsSpan().SequenceEqual(fields.Names[i]) && again.Values[i].AsSpan().SequenceEqual(fields.Values[i]), $"field {i} re-encoded reads the same");
            Invariant.That(again.NeverIndexed[i] == fields.NeverIndexed[i], $"field {i} keeps its never-indexed mark");
        }
    }

    private sealed class Collector : IHpackHeaderVisitor
    {
        public List<byte[]> Names { get; } = [];

        public List<byte[]> Values { get; } = [];

        public List<bool> NeverIndexed { get; } = [];

        public long ListSize { get; private set; }

        public int Bytes { get; private set; }

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
        {
            Names.Add(name.ToArray());
            Values.Add(value.ToArray());
            NeverIndexed.Add(neverIndexed);
            ListSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
            Bytes += name.Length + value.Length;
        }
    }
}
