using System.Text;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Parsing;

public class ChunkedBodyScannerTests
{
    private const string Next = "GET /next HTTP/1.1\r\n";

    public static TheoryData<string> ValidBodies => new()
    {
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        "A\r\n0123456789\r\n0\r\n\r\n",
        "a;name=value\r\n0123456789\r\n0\r\n\r\n",
        "5 ;ext\r\nhello\r\n0\r\n\r\n",
        "0000005\r\nhello\r\n0\r\n\r\n",
        "5\r\nhe\r\nl\r\n0\r\nTrailer-A: 1\r\nTrailer-B: 2\r\n\r\n",
        "3\r\n\r\n\r\r\n0\r\n\r\n",
    };

    public static TheoryData<string> InvalidBodies => new()
    {
        "\r\n",
        "x\r\n",
        "-5\r\n",
        "5\nhello\r\n0\r\n\r\n",
        "5\r\nhelloX\r\n0\r\n\r\n",
        "5\r\nhello\n0\r\n\r\n",
        "10000000000000000\r\n",
        "5;ext\0\r\nhello\r\n",
        "0\r\n folded: trailer\r\n\r\n",
        "0\r\nTrailer: a\nb\r\n\r\n",
        "0\r\n\r\r",
        "5 x\r\nhello\r\n",
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Scan_ValidBodyInOnePiece_FindsItsExactEnd(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body + Next);
        var scanner = new ChunkedBodyScanner();
        Assert.Equal(ChunkedScanStatus.Done, scanner.Scan(bytes, out var consumed));
        Assert.Equal(body.Length, consumed);
        Assert.True(scanner.IsDone);
    }

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Scan_ValidBodySplitAtEveryPairOfOffsets_FindsTheSameEnd(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body + Next);
        for (var first = 0; first <= body.Length; first++)
        {
            for (var second = first; second <= body.Length; second++)
            {
                var scanner = new ChunkedBodyScanner();
                var total = 0;
                var status = ChunkedScanStatus.NeedMore;
                foreach (var (start, end) in new[] { (0, first), (first, second), (second, bytes.Length) })
                {
                    status = scanner.Scan(bytes.AsSpan(start, end - start), out var consumed);
                    total += consumed;
                    if (status != ChunkedScanStatus.NeedMore)
                    {
                        break;
                    }
                    Assert.Equal(end - start, consumed);
                }
                Assert.Equal(ChunkedScanStatus.Done, status);
                Assert.Equal(body.Length, total);
            }
        }
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public void Scan_MalformedBodyFedByteByByte_IsInvalidAndStaysInvalid(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body);
        var scanner = new ChunkedBodyScanner();
        var status = ChunkedScanStatus.NeedMore;
        for (var i = 0; i < bytes.Length && status == ChunkedScanStatus.NeedMore; i++)
        {
            status = scanner.Scan(bytes.AsSpan(i, 1), out _);
        }
        Assert.Equal(ChunkedScanStatus.Invalid, status);
        Assert.Equal(ChunkedScanStatus.Invalid, scanner.Scan("0\r\n\r\n"u8, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Scan_LargestSizeThatFitsThenOneMoreDigit_IsInvalidOnOverflow()
    {
        var scanner = new ChunkedBodyScanner();
        Assert.Equal(ChunkedScanStatus.NeedMore, scanner.Scan("7ffffffffffffff"u8, out _));
        Assert.Equal(ChunkedScanStatus.NeedMore, scanner.Scan("f"u8, out _));
        Assert.Equal(ChunkedScanStatus.Invalid, scanner.Scan("f"u8, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Scan_OversizedExtension_IsInvalid()
    {
        var scanner = new ChunkedBodyScanner();
        var body = Encoding.ASCII.GetBytes("1;" + new string('x', ChunkedBodyScanner.MaxExtensionLength + 1) + "\r\n");
        Assert.Equal(ChunkedScanStatus.Invalid, scanner.Scan(body, out _));
    }

    [Fact]
    public void Reset_AfterABody_ScansTheNextOne()
    {
        var scanner = new ChunkedBodyScanner();
        Assert.Equal(ChunkedScanStatus.Done, scanner.Scan("0\r\n\r\n"u8, out _));
        scanner.Reset();
        Assert.False(scanner.IsDone);
        Assert.Equal(ChunkedScanStatus.NeedMore, scanner.Scan("3\r\nab"u8, out var consumed));
        Assert.Equal(5, consumed);
    }

    [Fact]
    public void Scan_LargeChunk_IsSkippedWithoutLookingAtItsBytes()
    {
        var scanner = new ChunkedBodyScanner();
        Assert.Equal(ChunkedScanStatus.NeedMore, scanner.Scan("100000\r\n"u8, out _));
        var data = new byte[0x100000];
        Array.Fill(data, (byte)'\n');
        Assert.Equal(ChunkedScanStatus.NeedMore, scanner.Scan(data, out var consumed));
        Assert.Equal(data.Length, consumed);
        Assert.Equal(ChunkedScanStatus.Done, scanner.Scan("\r\n0\r\n\r\n"u8, out _));
    }
}
