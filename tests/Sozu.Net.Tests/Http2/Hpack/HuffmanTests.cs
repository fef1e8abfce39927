using System.Text;
using FsCheck.Xunit;
using Sozu.Net.Http2.Hpack;
using Xunit;

namespace Sozu.Net.Tests.Http2.Hpack;

public class HuffmanTests
{
    [Theory]
    // Codes printed in RFC 7541 Appendix B: the shortest, the longest, each end of the table.
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData('0', 0x0u, 5)]
    [InlineData('a', 0x3u, 5)]
    [InlineData(' ', 0x14u, 6)]
    [InlineData(':', 0x5cu, 7)]
    [InlineData('&', 0xf8u, 8)]
    [InlineData('\\', 0x7fff0u, 19)]
    [InlineData(10, 0x3ffffffcu, 30)]
    [InlineData(22, 0x3ffffffeu, 30)]
    [InlineData(127, 0xffffffcu, 28)]
    [InlineData(199, 0x1ffffecu, 25)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(HuffmanCode.Eos, 0x3fffffffu, 30)]
    public void CodeOf_Symbol_IsTheAppendixBCode(int symbol, uint code, int length)
    {
        Assert.Equal(code, HuffmanCode.CodeOf(symbol));
        Assert.Equal(length, HuffmanCode.LengthOf(symbol));
    }

    [Fact]
    public void TheCode_IsComplete_KraftSumIsExactlyOne()
    {
        // Sum of 2^(30 - length) over the 257 symbols equals 2^30 exactly: no gap, no overlap.
        long sum = 0;
        for (var symbol = 0; symbol <= HuffmanCode.Eos; symbol++)
        {
            sum += 1L << (HuffmanCode.LongestCode - HuffmanCode.LengthOf(symbol));
        }
        Assert.Equal(1L << HuffmanCode.LongestCode, sum);
    }

    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("302", "6402")]
    [InlineData("private", "aec3771a4b")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    [InlineData("a", "1f")]
    [InlineData("", "")]
    public void EncodeAndDecode_RfcStrings_MatchTheRfcBytes(string text, string hex)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(hex.Length / 2, HuffmanEncoder.EncodedLength(bytes));
        var encoded = new byte[hex.Length / 2];
        Assert.Equal(encoded.Length, HuffmanEncoder.Encode(bytes, encoded));
        Assert.Equal(hex, Convert.ToHexStringLower(encoded));

        var decoded = new byte[64];
        Assert.Equal(HpackError.None, HuffmanDecoder.Decode(encoded, decoded, out var length));
        Assert.Equal(text, Encoding.ASCII.GetString(decoded, 0, length));
    }

    [Theory]
    [InlineData("18", HpackError.InvalidHuffmanPadding)] // 'a' padded with zeros, not EOS's ones
    [InlineData("1fff", HpackError.InvalidHuffmanPadding)] // 'a' then 11 bits of padding (more than 7)
    [InlineData("ff", HpackError.InvalidHuffmanPadding)] // 8 bits of padding and no symbol
    [InlineData("ffffffff", HpackError.HuffmanEos)] // EOS itself (30 ones) inside the string
    [InlineData("fffffffc", HpackError.HuffmanEos)] // EOS then padding
    [InlineData("1fffffffff", HpackError.HuffmanEos)] // 'a' then EOS
    [InlineData("fe", HpackError.InvalidHuffmanPadding)] // a padding that ends in a zero
    public void Decode_MalformedString_IsRefused(string hex, HpackError expected)
    {
        Assert.Equal(expected, HuffmanDecoder.Decode(Convert.FromHexString(hex), new byte[16], out _));
    }

    [Property(MaxTest = 500)]
    public bool EveryByteString_RoundTrips(byte[] input)
    {
        var encoded = new byte[HuffmanEncoder.EncodedLength(input)];
        HuffmanEncoder.Encode(input, encoded);
        var decoded = new byte[input.Length];
        return HuffmanDecoder.Decode(encoded, decoded, out var length) == HpackError.None
            && length == input.Length
            && decoded.AsSpan().SequenceEqual(input);
    }

    [Fact]
    public void EverySymbol_RoundTripsAlone_AndAtEveryBitOffset()
    {
        // Each symbol after 0 to 7 '0' characters (5 bits each): every alignment of every code.
        for (var symbol = 0; symbol < 256; symbol++)
        {
            for (var lead = 0; lead < 8; lead++)
            {
                var input = new byte[lead + 1];
                input.AsSpan(0, lead).Fill((byte)'0');
                input[lead] = (byte)symbol;
                var encoded = new byte[HuffmanEncoder.EncodedLength(input)];
                HuffmanEncoder.Encode(input, encoded);
                var decoded = new byte[input.Length];
                Assert.Equal(HpackError.None, HuffmanDecoder.Decode(encoded, decoded, out var length));
                Assert.Equal(input, decoded.AsSpan(0, length).ToArray());
            }
        }
    }

    [Fact]
    public void Decode_IntoAShortDestination_ReportsTheWholeLength_AndStillChecksTheInput()
    {
        var encoded = Convert.FromHexString("f1e3c2e5f23a6ba0ab90f4ff");
        var destination = new byte[3];
        Assert.Equal(HpackError.None, HuffmanDecoder.Decode(encoded, destination, out var length));
        Assert.Equal(15, length);
        Assert.Equal("www"u8.ToArray(), destination);

        var withEos = Convert.FromHexString("f1e3c2e5f23a6ba0ab90f4ffffffffff");
        Assert.Equal(HpackError.HuffmanEos, HuffmanDecoder.Decode(withEos, destination, out _));
    }
}
