using System.Text;
using FsCheck.Xunit;
using Sozu.Net.Http2.Hpack;
using Xunit;

namespace Sozu.Net.Tests.Http2.Hpack;

/// <summary>
/// Whatever an encoder writes, a decoder with the matching settings reads back: the same fields
/// in the same order, never-indexed kept, and both tables in step after every block, across
/// table sizes, size changes between blocks, Huffman on and off, and destinations too short.
/// </summary>
public class HpackRoundTripPropertyTests
{
    private static readonly int[] TableSizes = [0, 64, 256, 4096];

    private static readonly (string Name, string Value)[] Common =
    [
        (":method", "GET"), (":method", "POST"), (":path", "/"), (":scheme", "https"), (":status", "200"),
        ("accept-encoding", "gzip, deflate"), ("accept-encoding", "gzip, deflate, br, zstd"), ("user-agent", "Mozilla/5.0"),
        ("cookie", "session=8f14e45fceea167a5a36dedd4bea2543"), ("x-request-id", "4a7c"), ("content-length", "0"),
    ];

    [Property(MaxTest = 300)]
    public void EncodedBlocks_DecodeToTheSameFields_WithTablesInStep(int seed)
    {
        var random = new Random(seed);
        var decoderTable = TableSizes[random.Next(TableSizes.Length)];
        var encoderTable = TableSizes[random.Next(TableSizes.Length)];
        var decoder = new HpackDecoder(maxTableSize: decoderTable, maxHeaderListSize: 1 << 20);
        var encoder = new HpackEncoder(maxTableSize: encoderTable, peerMaxTableSize: decoderTable) { UseHuffman = random.Next(4) != 0 };
        var blocks = random.Next(1, 7);
        for (var b = 0; b < blocks; b++)
        {
            if (random.Next(5) == 0)
            {
                // The decoder advertises a new SETTINGS_HEADER_TABLE_SIZE, the encoder hears of it.
                var limit = random.Next(decoderTable + 1);
                decoder.SetMaxTableSizeLimit(limit);
                encoder.SetPeerMaxTableSize(limit);
            }
            var fields = Fields(random);
            var block = Encode(encoder, fields, random);
            var collector = new HeaderCollector();
            Assert.Equal(HpackError.None, decoder.Decode(block, ref collector));
            Assert.Equal(fields.Count, collector.Fields.Count);
            for (var i = 0; i < fields.Count; i++)
            {
                Assert.Equal(fields[i].Name, collector.Fields[i].Name);
                Assert.Equal(fields[i].Value, collector.Fields[i].Value);
                if (fields[i].Indexing == HpackIndexing.NeverIndexed)
                {
                    Assert.True(collector.Fields[i].NeverIndexed);
                }
            }
            Assert.Equal((encoder.TableCount, encoder.TableSize, encoder.TableCapacity), (decoder.TableCount, decoder.TableSize, decoder.TableCapacity));
            Assert.True(decoder.TableSize <= decoder.TableCapacity && decoder.TableCapacity <= decoderTable);
        }
    }

    /// <summary>Encodes, first into a destination of random length (often too short: nothing must change), then into enough room.</summary>
    private static byte[] Encode(HpackEncoder encoder, List<(string Name, string Value, HpackIndexing Indexing)> fields, Random random)
    {
        var output = new List<byte>();
        var buffer = new byte[1 << 16];
        var start = buffer.AsSpan(0, random.Next(4));
        if (!encoder.TryBeginBlock(start, out var written))
        {
            Assert.True(encoder.TryBeginBlock(buffer, out written));
            output.AddRange(buffer.AsSpan(0, written).ToArray());
        }
        else
        {
            output.AddRange(start[..written].ToArray());
        }
        foreach (var (name, value, indexing) in fields)
        {
            var n = Encoding.Latin1.GetBytes(name);
            var v = Encoding.Latin1.GetBytes(value);
            var shortRoom = buffer.AsSpan(0, random.Next(n.Length + v.Length + 8));
            var before = (encoder.TableCount, encoder.TableSize);
            if (encoder.TryEncode(n, v, indexing, shortRoom, out written))
            {
                output.AddRange(shortRoom[..written].ToArray());
                continue;
            }
            Assert.Equal(before, (encoder.TableCount, encoder.TableSize));
            Assert.True(encoder.TryEncode(n, v, indexing, buffer, out written));
            output.AddRange(buffer.AsSpan(0, written).ToArray());
        }
        return output.ToArray();
    }

    private static List<(string Name, string Value, HpackIndexing Indexing)> Fields(Random random)
    {
        var count = random.Next(0, 12);
        var fields = new List<(string, string, HpackIndexing)>(count);
        for (var i = 0; i < count; i++)
        {
            var indexing = (HpackIndexing)random.Next(3);
            switch (random.Next(4))
            {
                case 0:
                    var (name, value) = Common[random.Next(Common.Length)];
                    fields.Add((name, value, indexing));
                    break;
                case 1:
                    fields.Add((Common[random.Next(Common.Length)].Name, Text(random, random.Next(40)), indexing));
                    break;
                case 2:
                    fields.Add(("x-" + Text(random, random.Next(3)), Text(random, random.Next(3)), indexing));
                    break;
                default:
                    // Any byte at all, sometimes longer than a small table.
                    fields.Add((Text(random, random.Next(30), anyByte: true), Text(random, random.Next(4) == 0 ? 300 : random.Next(30), anyByte: true), indexing));
                    break;
            }
        }
        return fields;
    }

    private static string Text(Random random, int length, bool anyByte = false)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = anyByte ? (char)random.Next(256) : (char)random.Next('a', 'f');
        }
        return new string(chars);
    }
}
