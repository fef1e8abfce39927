using System.Text;
using Sozu.Net.Http2.Hpack;
using Xunit;

namespace Sozu.Net.Tests.Http2.Hpack;

/// <summary>Every malformed block is refused with its reason, and a decoder's limits hold.</summary>
public class HpackMalformedTests
{
    [Theory]
    [InlineData("80", HpackError.IndexOutOfRange)] // index 0
    [InlineData("be", HpackError.IndexOutOfRange)] // dynamic index 62 on an empty table
    [InlineData("ff80", HpackError.Truncated)] // index continues past the end
    [InlineData("ffffffffff7f", HpackError.IntegerOverflow)] // above 2^31 - 1
    [InlineData("ff808080808000", HpackError.IntegerOverflow)] // more continuation bytes than 2^31 needs
    [InlineData("7f80808080808000", HpackError.IntegerOverflow)] // the same in a literal's name index
    [InlineData("7f00", HpackError.IndexOutOfRange)] // a literal's name index 63, beyond the static table
    [InlineData("400a637573746f6d2d6b6579", HpackError.Truncated)] // a literal cut before its value
    [InlineData("400a6375", HpackError.Truncated)] // a name shorter than its length
    [InlineData("00", HpackError.Truncated)] // a literal with no name
    [InlineData("02", HpackError.Truncated)] // a name index then no value
    [InlineData("4081ff0161", HpackError.InvalidHuffmanPadding)] // a Huffman name of 8 ones
    [InlineData("4001618418", HpackError.Truncated)] // the value's length runs past the end
    [InlineData("4001618118", HpackError.InvalidHuffmanPadding)] // a Huffman value 'a' padded with zeros
    [InlineData("40016184ffffffff", HpackError.HuffmanEos)] // a Huffman value with EOS
    [InlineData("3fe21f", HpackError.TableSizeUpdateTooLarge)] // 4097, above the advertised 4096
    [InlineData("823f00", HpackError.TableSizeUpdateNotAtStart)] // after a field
    [InlineData("3fe1", HpackError.Truncated)] // a size update cut short
    public void Decode_MalformedBlock_IsRefused(string hex, HpackError expected)
    {
        var collector = new HeaderCollector();
        Assert.Equal(expected, new HpackDecoder().Decode(Convert.FromHexString(hex), ref collector));
    }

    [Fact]
    public void Decode_SizeUpdateToZero_EmptiesTheTable_AndLaterUpToTheLimit_Works()
    {
        var decoder = new HpackDecoder();
        var collector = new HeaderCollector();
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("400a637573746f6d2d6b65790d637573746f6d2d686561646572"), ref collector));
        Assert.Equal(1, decoder.TableCount);
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("20"), ref collector));
        Assert.Equal((0, 0, 0), (decoder.TableCount, decoder.TableSize, decoder.TableCapacity));
        // Two updates at the start are allowed (the smallest, then the final); 4096 = 3f e1 1f.
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("203fe11f82"), ref collector));
        Assert.Equal(4096, decoder.TableCapacity);
    }

    [Fact]
    public void Decode_AfterTheLimitIsLowered_RequiresASizeUpdateFirst()
    {
        var decoder = new HpackDecoder();
        var collector = new HeaderCollector();
        decoder.SetMaxTableSizeLimit(100);
        Assert.Equal(HpackError.TableSizeUpdateMissing, decoder.Decode(Convert.FromHexString("82"), ref collector));
        Assert.Equal(HpackError.TableSizeUpdateTooLarge, decoder.Decode(Convert.FromHexString("3f4682"), ref collector)); // 101
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("3f4582"), ref collector)); // 100, then :method GET
        Assert.Equal(100, decoder.TableCapacity);
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("82"), ref collector));
    }

    [Fact]
    public void Decode_TableNeverExceedsItsCapacity_OldestEntriesEvicted()
    {
        var decoder = new HpackDecoder(maxTableSize: 100);
        var collector = new HeaderCollector();
        // Three literals with incremental indexing of 32 + 2 + 16 = 50 bytes each: the first is evicted.
        for (var i = 0; i < 3; i++)
        {
            var block = Convert.FromHexString("4002" + Convert.ToHexString(Encoding.ASCII.GetBytes($"k{i}")) + "10" + Convert.ToHexString(Encoding.ASCII.GetBytes(new string((char)('a' + i), 16))));
            Assert.Equal(HpackError.None, decoder.Decode(block, ref collector));
            Assert.True(decoder.TableSize <= 100);
        }
        Assert.Equal((2, 100), (decoder.TableCount, decoder.TableSize));
        decoder.GetTableEntry(2, out var oldest, out _);
        Assert.Equal("k1"u8.ToArray(), oldest.ToArray());
        Assert.Equal(HpackError.IndexOutOfRange, decoder.Decode(Convert.FromHexString("c0"), ref collector)); // 64: gone
    }

    [Fact]
    public void Decode_AnEntryLargerThanTheTable_EmptiesIt_AndTheFieldStillArrives()
    {
        var decoder = new HpackDecoder(maxTableSize: 64);
        var collector = new HeaderCollector();
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("400161016282"), ref collector)); // a: b (34 bytes)
        Assert.Equal(1, decoder.TableCount);
        var value = new string('v', 40);
        var block = Convert.FromHexString("40016128" + Convert.ToHexString(Encoding.ASCII.GetBytes(value)));
        Assert.Equal(HpackError.None, decoder.Decode(block, ref collector));
        Assert.Equal((0, 0), (decoder.TableCount, decoder.TableSize));
        Assert.Equal(("a", value, false), collector.Fields[^1]);
    }

    [Fact]
    public void Decode_OverTheHeaderListLimit_SaysSo_StopsTheVisitor_AndKeepsTheTableInStep()
    {
        // Limit 100: :method GET (42) fits, a 64-byte literal (a: 30 × 'x', 32 + 1 + 30 = 63) does not.
        var decoder = new HpackDecoder(maxTableSize: 4096, maxHeaderListSize: 100);
        var collector = new HeaderCollector();
        var big = "40016" + "11e" + Convert.ToHexString(Encoding.ASCII.GetBytes(new string('x', 30)));
        Assert.Equal(HpackError.HeaderListTooLarge, decoder.Decode(Convert.FromHexString("82" + big + "84"), ref collector));
        Assert.Equal(new[] { (":method", "GET", false) }, collector.Fields);
        // The literal was still inserted: the next block may refer to it.
        Assert.Equal(1, decoder.TableCount);
        var next = new HeaderCollector();
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("be"), ref next));
        Assert.Equal("a", next.Fields[0].Name);
    }

    [Fact]
    public void Decode_AHuffmanStringLongerThanAnyLimit_IsRefusedAsTooLarge_AndEmptiesTheTable()
    {
        // A 600-byte Huffman value of '0's (5 bits each: 960 symbols) past a 512-byte list limit and table.
        var decoder = new HpackDecoder(maxTableSize: 512, maxHeaderListSize: 512);
        var collector = new HeaderCollector();
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("400161016282"), ref collector));
        var zeros = new byte[960];
        zeros.AsSpan().Fill((byte)'0');
        var encoded = new byte[HuffmanEncoder.EncodedLength(zeros)];
        HuffmanEncoder.Encode(zeros, encoded);
        var length = new byte[HpackInteger.MaxLength];
        var lengthBytes = HpackInteger.Encode(length, encoded.Length, 7, 0x80);
        var block = Convert.FromHexString("400161").Concat(length[..lengthBytes]).Concat(encoded).ToArray();
        Assert.Equal(HpackError.HeaderListTooLarge, decoder.Decode(block, ref collector));
        Assert.Equal(0, decoder.TableCount);
    }

    [Fact]
    public void Decode_HuffmanValueWithAnIndexedDynamicName_SurvivesTheInsertionThatEvictsTheName()
    {
        // Table of 60: "k: v" (34) is entry 62; a literal naming 62 with a 20-byte value evicts it while inserting.
        var decoder = new HpackDecoder(maxTableSize: 60);
        var collector = new HeaderCollector();
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString("40016b017682"), ref collector));
        var value = Encoding.ASCII.GetBytes("abcdefghijklmnopqrs0");
        var encoded = new byte[HuffmanEncoder.EncodedLength(value)];
        HuffmanEncoder.Encode(value, encoded);
        var block = new byte[] { 0x7e, (byte)(0x80 | encoded.Length) }.Concat(encoded).ToArray();
        Assert.Equal(HpackError.None, decoder.Decode(block, ref collector));
        Assert.Equal(("k", "abcdefghijklmnopqrs0", false), collector.Fields[^1]);
        decoder.GetTableEntry(1, out var name, out var stored);
        Assert.Equal(("k", "abcdefghijklmnopqrs0"), (Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(stored)));
        Assert.Equal(1, decoder.TableCount);
    }

    [Fact]
    public void TwoDecoders_SharingOneScratch_DecodeHuffmanBlocksInTurn()
    {
        var scratch = new byte[HpackDecoder.ScratchLength(4096, 16_384)];
        var first = new HpackDecoder(scratch: scratch);
        var second = new HpackDecoder(scratch: scratch);
        var a = new HeaderCollector();
        var b = new HeaderCollector();
        Assert.Equal(HpackError.None, first.Decode(Convert.FromHexString("828684418cf1e3c2e5f23a6ba0ab90f4ff"), ref a));
        Assert.Equal(HpackError.None, second.Decode(Convert.FromHexString("828785408825a849e95ba97d7f8925a849e95bb8e8b4bf"), ref b));
        Assert.Equal(HpackError.None, first.Decode(Convert.FromHexString("828684be5886a8eb10649cbf"), ref a));
        Assert.Equal(("custom-key", "custom-value", false), b.Fields[^1]);
        Assert.Equal(("cache-control", "no-cache", false), a.Fields[^1]);
        Assert.Equal(("custom-key", "custom-value"), (Encoding.ASCII.GetString(Entry(second).Name), Encoding.ASCII.GetString(Entry(second).Value)));
        Assert.Throws<ArgumentException>(() => new HpackDecoder(scratch: new byte[100]));
    }

    private static (byte[] Name, byte[] Value) Entry(HpackDecoder decoder)
    {
        decoder.GetTableEntry(1, out var name, out var value);
        return (name.ToArray(), value.ToArray());
    }

    [Fact]
    public void Construct_BeyondTheHardCap_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HpackDecoder(maxTableSize: HpackDecoder.HardMaxTableSize + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HpackDecoder().SetMaxTableSizeLimit(8192));
    }
}
