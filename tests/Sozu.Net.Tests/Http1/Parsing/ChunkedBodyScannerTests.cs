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
        // Sixteen digits, leading zeros included, is the most a size may have.
        "0000000000000005\r\nhello\r\n0000000000000000\r\n\r\n",
        "2;name\r\nab\r\n0;last\r\n\r\n",
        "2 ; a = b ;c=\"q \\\" ;\"\t;d\r\nab\r\n0\r\n\r\n",
        "2;a=\"\";b=\"x\" ;c\r\nab\r\n0\r\n\r\n",
        "0\r\nTrailer-A:\r\nX: v\t w\r\n\r\n",
    };

    /// <summary>Issue 11 and HTTPWookiee: framing a lenient parser would forward and a backend would read differently.</summary>
    public static TheoryData<string> SmugglingVectors => new()
    {
        // 35 digits: a backend keeping the last 16 (or 8) digits reads 0 and sees a smuggled request.
        "000000000000000000000000000000000f0\r\n" + new string('a', 0xf0) + "\r\n0\r\n\r\n",
        "00000000000000005\r\nhello\r\n0\r\n\r\n",
        "5\r\nhello\r\n00000000000000000\r\n\r\n",
        // Empty extensions: "2;" and friends.
        "2;\r\nab\r\n0\r\n\r\n",
        "2; \r\nab\r\n0\r\n\r\n",
        "2;;a\r\nab\r\n0\r\n\r\n",
        "2;a=b;\r\nab\r\n0\r\n\r\n",
        "2;a=\r\nab\r\n0\r\n\r\n",
        "2;=b\r\nab\r\n0\r\n\r\n",
        // Whitespace where no BWS stands, or before the CRLF.
        "2 \r\nab\r\n0\r\n\r\n",
        "2;a \r\nab\r\n0\r\n\r\n",
        "2;a=b\t\r\nab\r\n0\r\n\r\n",
        "2;a b\r\nab\r\n0\r\n\r\n",
        // Unterminated or non-ASCII quoted values, bad names.
        "2;a=\"x\r\nab\r\n0\r\n\r\n",
        "2;a=\"\u00e9\"\r\nab\r\n0\r\n\r\n",
        "2;a=\"x\"y\r\nab\r\n0\r\n\r\n",
        "2;a(b\r\nab\r\n0\r\n\r\n",
        "2;a=b\"\r\nab\r\n0\r\n\r\n",
        // A size glued to garbage, a sign, a 0x prefix.
        "0x2\r\nab\r\n0\r\n\r\n",
        "+2\r\nab\r\n0\r\n\r\n",
        // Trailer lines that are not fields.
        "0\r\nno-colon\r\n\r\n",
        "0\r\n: no-name\r\n\r\n",
        "0\r\nBad Name: v\r\n\r\n",
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

    [Theory]
    [MemberData(nameof(SmugglingVectors))]
    public void Scan_SmugglingVector_IsInvalidWhereverTheBytesAreSplit(string body)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var scanner = new ChunkedBodyScanner();
            var status = scanner.Scan(bytes.AsSpan(0, split), out var consumed);
            if (status == ChunkedScanStatus.NeedMore)
            {
                Assert.Equal(split, consumed);
                status = scanner.Scan(bytes.AsSpan(split), out _);
            }
            Assert.Equal(ChunkedScanStatus.Invalid, status);
        }
    }

    [Fact]
    public void Scan_SeventeenDigits_IsInvalidAtTheSeventeenth()
    {
        var scanner = new ChunkedBodyScanner();
        Assert.Equal(ChunkedScanStatus.NeedMore, scanner.Scan("0000000000000000"u8, out _));
        Assert.Equal(ChunkedScanStatus.Invalid, scanner.Scan("0"u8, out var consumed));
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
