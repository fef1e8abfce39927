using System.Text;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Parsing;

/// <summary>
/// Generated messages, seeded so a failure reproduces: pipelined requests parsed back to back
/// from one buffer, and chunked bodies cut into random pieces.
/// </summary>
public class RandomisedFramingTests
{
    private const int Iterations = 300;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PipelinedRequestsWithBodies_ParseOneAfterAnotherAtTheRightOffsets(int seed)
    {
        var random = new Random(seed);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var expected = new List<(string Path, int BodyLength, bool Chunked)>();
            var stream = new StringBuilder();
            var count = random.Next(1, 5);
            for (var i = 0; i < count; i++)
            {
                var path = "/" + RandomToken(random, random.Next(0, 20));
                var bodyLength = random.Next(0, 3) == 0 ? 0 : random.Next(1, 200);
                var chunked = bodyLength > 0 && random.Next(2) == 0;
                stream.Append("POST ").Append(path).Append(" HTTP/1.1\r\nHost: h").Append(i).Append(".example\r\n");
                for (var h = random.Next(0, 8); h > 0; h--)
                {
                    stream.Append("X-").Append(RandomToken(random, random.Next(1, 10))).Append(':')
                        .Append(' ', random.Next(0, 3)).Append(RandomToken(random, random.Next(0, 30))).Append("\r\n");
                }
                var body = new string('b', bodyLength);
                if (chunked)
                {
                    stream.Append("Transfer-Encoding: chunked\r\n\r\n").Append(Chunk(random, body));
                }
                else
                {
                    stream.Append("Content-Length: ").Append(bodyLength).Append("\r\n\r\n").Append(body);
                }
                expected.Add((path, bodyLength, chunked));
            }

            var bytes = Encoding.ASCII.GetBytes(stream.ToString());
            var head = new RequestHead();
            var offset = 0;
            foreach (var (path, bodyLength, chunked) in expected)
            {
                var buffer = bytes.AsSpan(offset);
                Assert.Equal(ParseStatus.Complete, Http1Parser.ParseRequestHead(buffer, head));
                Assert.Equal(path, Encoding.ASCII.GetString(head.Path.Of(buffer)));
                offset += head.HeadEnd;
                if (chunked)
                {
                    Assert.Equal(BodyKind.Chunked, head.Body);
                    var scanner = new ChunkedBodyScanner();
                    Assert.Equal(ChunkedScanStatus.Done, scanner.Scan(bytes.AsSpan(offset), out var consumed));
                    offset += consumed;
                }
                else
                {
                    Assert.Equal(bodyLength, Math.Max(0, head.ContentLength));
                    offset += bodyLength;
                }
            }
            Assert.Equal(bytes.Length, offset);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void ChunkedBodyCutIntoRandomPieces_EndsExactlyWhereItWasWritten(int seed)
    {
        var random = new Random(seed);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var body = Encoding.ASCII.GetBytes(Chunk(random, new string('z', random.Next(0, 3000))));
            var bytes = body.Concat("GET / HTTP/1.1\r\n"u8.ToArray()).ToArray();
            var scanner = new ChunkedBodyScanner();
            var offset = 0;
            var status = ChunkedScanStatus.NeedMore;
            for (var pieces = 0; status == ChunkedScanStatus.NeedMore && pieces < bytes.Length; pieces++)
            {
                var length = Math.Min(random.Next(1, 40), bytes.Length - offset);
                status = scanner.Scan(bytes.AsSpan(offset, length), out var consumed);
                offset += consumed;
            }
            Assert.Equal(ChunkedScanStatus.Done, status);
            Assert.Equal(body.Length, offset);
        }
    }

    private static string Chunk(Random random, string body)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var size = Math.Min(random.Next(1, 500), body.Length - position);
            text.Append(random.Next(2) == 0 ? size.ToString("x", System.Globalization.CultureInfo.InvariantCulture) : size.ToString("X", System.Globalization.CultureInfo.InvariantCulture));
            if (random.Next(4) == 0)
            {
                text.Append(";ext=").Append(RandomToken(random, 5));
            }
            text.Append("\r\n").Append(body, position, size).Append("\r\n");
            position += size;
        }
        text.Append("0\r\n");
        for (var t = random.Next(0, 3); t > 0; t--)
        {
            text.Append("T-").Append(RandomToken(random, 4)).Append(": v\r\n");
        }
        return text.Append("\r\n").ToString();
    }

    private static string RandomToken(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }
        return new string(chars);
    }
}
