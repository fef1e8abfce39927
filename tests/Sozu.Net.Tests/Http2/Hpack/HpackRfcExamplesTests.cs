using System.Text;
using Sozu.Net.Http2.Hpack;
using Xunit;

namespace Sozu.Net.Tests.Http2.Hpack;

/// <summary>
/// Every example of RFC 7541 Appendix C, decoded (fields, dynamic table and its size after each
/// block) and encoded (the exact bytes the RFC prints) by our encoder with the same table size.
/// </summary>
public class HpackRfcExamplesTests
{
    private const string Date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Location = "https://www.example.com";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    private static readonly (string, string)[][] Requests =
    [
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")],
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")],
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")],
    ];

    private static readonly (string, string)[][] RequestTables =
    [
        [(":authority", "www.example.com")],
        [("cache-control", "no-cache"), (":authority", "www.example.com")],
        [("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")],
    ];

    private static readonly int[] RequestSizes = [57, 110, 164];

    private static readonly (string, string)[][] Responses =
    [
        [(":status", "302"), ("cache-control", "private"), ("date", Date1), ("location", Location)],
        [(":status", "307"), ("cache-control", "private"), ("date", Date1), ("location", Location)],
        [(":status", "200"), ("cache-control", "private"), ("date", Date2), ("location", Location), ("content-encoding", "gzip"), ("set-cookie", Cookie)],
    ];

    private static readonly (string, string)[][] ResponseTables =
    [
        [("location", Location), ("date", Date1), ("cache-control", "private"), (":status", "302")],
        [(":status", "307"), ("location", Location), ("date", Date1), ("cache-control", "private")],
        [("set-cookie", Cookie), ("content-encoding", "gzip"), ("date", Date2)],
    ];

    private static readonly int[] ResponseSizes = [222, 222, 215];

    public static TheoryData<string, int, string[]> Sequences => new()
    {
        { "C.3 requests without Huffman", 4096, ["828684410f7777772e6578616d706c652e636f6d", "828684be58086e6f2d6361636865", "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"] },
        { "C.4 requests with Huffman", 4096, ["828684418cf1e3c2e5f23a6ba0ab90f4ff", "828684be5886a8eb10649cbf", "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"] },
        {
            "C.5 responses without Huffman", 256,
            [
                "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
                "4803333037c1c0bf",
                "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31",
            ]
        },
        {
            "C.6 responses with Huffman", 256,
            [
                "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
                "4883640effc1c0bf",
                "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void AppendixC_Sequence_DecodesToTheRfcFieldsAndTables(string section, int tableSize, string[] blocks)
    {
        var (lists, tables, sizes) = Expected(section);
        var decoder = new HpackDecoder(maxTableSize: tableSize);
        for (var i = 0; i < blocks.Length; i++)
        {
            var collector = new HeaderCollector();
            Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString(blocks[i]), ref collector));
            Assert.Equal(lists[i], collector.Pairs());
            Assert.Equal(tables[i], TableOf(decoder));
            Assert.Equal(sizes[i], decoder.TableSize);
        }
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void AppendixC_Sequence_EncodesToTheRfcBytes(string section, int tableSize, string[] blocks)
    {
        var (lists, _, sizes) = Expected(section);
        var encoder = new HpackEncoder(maxTableSize: tableSize, peerMaxTableSize: tableSize) { UseHuffman = section.Contains("with Huffman", StringComparison.Ordinal) };
        for (var i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(blocks[i], Convert.ToHexStringLower(Encode(encoder, lists[i])));
            Assert.Equal(sizes[i], encoder.TableSize);
        }
    }

    [Theory]
    [InlineData("400a637573746f6d2d6b65790d637573746f6d2d686561646572", "custom-key", "custom-header", false, 55)]
    [InlineData("040c2f73616d706c652f70617468", ":path", "/sample/path", false, 0)]
    [InlineData("100870617373776f726406736563726574", "password", "secret", true, 0)]
    [InlineData("82", ":method", "GET", false, 0)]
    public void AppendixC2_Representation_DecodesAndIndexesAsTheRfcSays(string hex, string name, string value, bool neverIndexed, int tableSize)
    {
        var decoder = new HpackDecoder();
        var collector = new HeaderCollector();
        Assert.Equal(HpackError.None, decoder.Decode(Convert.FromHexString(hex), ref collector));
        Assert.Equal(new[] { (name, value, neverIndexed) }, collector.Fields);
        Assert.Equal(tableSize, decoder.TableSize);
        Assert.Equal(tableSize == 0 ? 0 : 1, decoder.TableCount);
    }

    [Theory]
    [InlineData("400a637573746f6d2d6b65790d637573746f6d2d686561646572", "custom-key", "custom-header", HpackIndexing.Incremental)]
    [InlineData("040c2f73616d706c652f70617468", ":path", "/sample/path", HpackIndexing.WithoutIndexing)]
    [InlineData("100870617373776f726406736563726574", "password", "secret", HpackIndexing.NeverIndexed)]
    [InlineData("82", ":method", "GET", HpackIndexing.Incremental)]
    public void AppendixC2_Representation_IsWhatTheEncoderWrites(string hex, string name, string value, HpackIndexing indexing)
    {
        var encoder = new HpackEncoder { UseHuffman = false };
        var buffer = new byte[64];
        Assert.True(encoder.TryEncode(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), indexing, buffer, out var written));
        Assert.Equal(hex, Convert.ToHexStringLower(buffer.AsSpan(0, written)));
    }

    [Theory]
    [InlineData(10, 5, "0a")]
    [InlineData(1337, 5, "1f9a0a")]
    [InlineData(42, 8, "2a")]
    public void AppendixC1_Integer_EncodesAndDecodesAsTheRfcSays(int value, int prefixBits, string hex)
    {
        var buffer = new byte[HpackInteger.MaxLength];
        var written = HpackInteger.Encode(buffer, value, prefixBits, 0);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer.AsSpan(0, written)));
        Assert.Equal(HpackError.None, HpackInteger.Decode(Convert.FromHexString(hex), prefixBits, out var decoded, out var consumed));
        Assert.Equal((value, hex.Length / 2), (decoded, consumed));
    }

    private static byte[] Encode(HpackEncoder encoder, (string Name, string Value)[] fields)
    {
        var buffer = new byte[512];
        Assert.True(encoder.TryBeginBlock(buffer, out var length));
        foreach (var (name, value) in fields)
        {
            Assert.True(encoder.TryEncode(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), HpackIndexing.Incremental, buffer.AsSpan(length), out var written));
            length += written;
        }
        return buffer[..length];
    }

    private static List<(string, string)> TableOf(HpackDecoder decoder)
    {
        var entries = new List<(string, string)>();
        for (var i = 1; i <= decoder.TableCount; i++)
        {
            decoder.GetTableEntry(i, out var name, out var value);
            entries.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
        }
        return entries;
    }

    private static ((string, string)[][] Lists, (string, string)[][] Tables, int[] Sizes) Expected(string section) =>
        section.StartsWith("C.3", StringComparison.Ordinal) || section.StartsWith("C.4", StringComparison.Ordinal)
            ? (Requests, RequestTables, RequestSizes)
            : (Responses, ResponseTables, ResponseSizes);
}
