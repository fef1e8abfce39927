using System.Net;
using System.Text;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Sockets;
using Xunit;

namespace Sozu.Net.Tests.ProxyProtocol;

/// <summary>The parser against proxy-protocol.txt's examples and every malformed form, each valid input also fed prefix by prefix.</summary>
public class ProxyHeaderParserTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private const string Tail = "GET / HTTP/1.1\r\n\r\n";

    private static readonly string Max6 = string.Join(':', Enumerable.Repeat("ffff", 8));

    public static TheoryData<string, string, string> ValidV1 => new()
    {
        // The specification's own example.
        { "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n", "192.168.0.1:56324", "192.168.0.11:443" },
        { "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", "255.255.255.255:65535", "255.255.255.255:65535" },
        { "PROXY TCP4 0.0.0.0 10.0.0.1 0 1\r\n", "0.0.0.0:0", "10.0.0.1:1" },
        { "PROXY TCP6 2001:db8::1 2001:db8::2 1234 443\r\n", "[2001:db8::1]:1234", "[2001:db8::2]:443" },
        { "PROXY TCP6 ::1 :: 1 2\r\n", "[::1]:1", "[::]:2" },
        { "PROXY TCP6 ::ffff:192.0.2.1 fe80::1:2:3:4 80 8080\r\n", "[::ffff:192.0.2.1]:80", "[fe80::1:2:3:4]:8080" },
        { "PROXY TCP6 1:2:3:4:5:6:7:8 1:2:3:4:5:6:1.2.3.4 10 20\r\n", "[1:2:3:4:5:6:7:8]:10", "[1:2:3:4:5:6:102:304]:20" },
        { "PROXY TCP6 1:: 1:2:3:4:5:6:7:: 10 20\r\n", "[1::]:10", "[1:2:3:4:5:6:7:0]:20" },
        { $"PROXY TCP6 {Max6} {Max6} 65535 65535\r\n", $"[{Max6}]:65535", $"[{Max6}]:65535" },
    };

    [Theory]
    [MemberData(nameof(ValidV1))]
    public void Parse_ValidV1_CompleteWithItsAddresses(string line, string source, string destination)
    {
        var input = Encoding.ASCII.GetBytes(line + Tail);
        var result = ProxyHeaderParser.Parse(input);
        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(line.Length, result.Length);
        Assert.Equal(1, result.Header.Version);
        Assert.True(result.Header.HasAddresses);
        Assert.Equal(IPEndPoint.Parse(source), result.Header.Source.ToEndPoint());
        Assert.Equal(IPEndPoint.Parse(destination), result.Header.Destination.ToEndPoint());
        AssertEveryPrefixNeedsMore(input, line.Length);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY UNKNOWN anything at all\r\n")]
    public void Parse_V1Unknown_KeepsTheSocketAddress(string line)
    {
        var input = Encoding.ASCII.GetBytes(line + Tail);
        var result = ProxyHeaderParser.Parse(input);
        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(line.Length, result.Length);
        Assert.False(result.Header.HasAddresses);
        AssertEveryPrefixNeedsMore(input, line.Length);
    }

    [Fact]
    public void Parse_V1UnknownOf107Bytes_IsTheLongestAccepted()
    {
        // The specification's worst case: UNKNOWN followed by the longest TCP6 fields.
        var line = $"PROXY UNKNOWN {Max6} {Max6} 65535 65535\r\n";
        Assert.Equal(107, line.Length);
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.Parse(Encoding.ASCII.GetBytes(line)).Status);

        var longer = $"PROXY UNKNOWN {Max6} {Max6} 65535 655350\r\n";
        Assert.Equal(ProxyParseResult.Invalid(ProxyHeaderError.TooLong).ToString(), ProxyHeaderParser.Parse(Encoding.ASCII.GetBytes(longer)).ToString());
    }

    [Fact]
    public void Parse_V1WithoutLineEndWithin107Bytes_IsTooLong()
    {
        var input = Encoding.ASCII.GetBytes("PROXY TCP4 " + new string('1', 200));
        Assert.Equal(ProxyParseStatus.NeedMore, ProxyHeaderParser.Parse(input.AsSpan(0, 106)).Status);
        var result = ProxyHeaderParser.Parse(input.AsSpan(0, 107));
        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Equal(ProxyHeaderError.TooLong, result.Error);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", ProxyHeaderError.BadSignature)]
    [InlineData("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadSignature)]
    [InlineData("PROXX TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadSignature)]
    [InlineData("PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY UNKNOWNX\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY \r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4\r\n", ProxyHeaderError.BadV1Line)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", ProxyHeaderError.BadPort)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n", ProxyHeaderError.BadPort)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", ProxyHeaderError.BadPort)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 123456 2\r\n", ProxyHeaderError.BadPort)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 x 2\r\n", ProxyHeaderError.BadPort)]
    [InlineData("PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP4 1.2.3.4 localhost 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP4 ::1 5.6.7.8 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 ::1::2 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 12345::1 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 1: ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 :1 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 ::: ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 1:2:3:4:5:6:7:1.2.3.4 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    [InlineData("PROXY TCP6 g::1 ::1 1 2\r\n", ProxyHeaderError.BadAddress)]
    public void Parse_MalformedV1_Invalid(string line, ProxyHeaderError error)
    {
        var result = ProxyHeaderParser.Parse(Encoding.ASCII.GetBytes(line));
        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Parse_Garbage_IsRefusedAtItsFirstByte()
    {
        Assert.Equal(ProxyHeaderError.BadSignature, ProxyHeaderParser.Parse("G"u8).Error);
        Assert.Equal(ProxyHeaderError.BadSignature, ProxyHeaderParser.Parse([0x16, 0x03, 0x01]).Error);
        Assert.Equal(ProxyHeaderError.BadSignature, ProxyHeaderParser.Parse("PX"u8).Error);
        Assert.Equal(ProxyHeaderError.BadSignature, ProxyHeaderParser.Parse([0x0D, 0x0A, 0x0D, 0x0A, 0x01]).Error);
        Assert.Equal(ProxyParseStatus.NeedMore, ProxyHeaderParser.Parse([]).Status);
    }

    public static TheoryData<byte[], string, string> ValidV2 => new()
    {
        { V2(0x21, 0x11, [192, 168, 0, 1, 192, 168, 0, 11, 0xDC, 0x04, 0x01, 0xBB]), "192.168.0.1:56324", "192.168.0.11:443" },
        { V2(0x21, 0x21, [.. IPAddress.Parse("2001:db8::1").GetAddressBytes(), .. IPAddress.Parse("2001:db8::2").GetAddressBytes(), 0x04, 0xD2, 0x01, 0xBB]), "[2001:db8::1]:1234", "[2001:db8::2]:443" },
        // TLVs (ALPN "h2", a NOOP of 0 bytes, an AWS VPC id) are skipped.
        { V2(0x21, 0x11, [10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0, 81, 0x01, 0x00, 0x02, (byte)'h', (byte)'2', 0x04, 0x00, 0x00, 0xEA, 0x00, 0x03, 1, 2, 3]), "10.0.0.1:80", "10.0.0.2:81" },
    };

    [Theory]
    [MemberData(nameof(ValidV2))]
    public void Parse_ValidV2_CompleteWithItsAddresses(byte[] header, string source, string destination)
    {
        byte[] input = [.. header, .. Encoding.ASCII.GetBytes(Tail)];
        var result = ProxyHeaderParser.Parse(input);
        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(header.Length, result.Length);
        Assert.Equal(2, result.Header.Version);
        Assert.True(result.Header.HasAddresses);
        Assert.Equal(IPEndPoint.Parse(source), result.Header.Source.ToEndPoint());
        Assert.Equal(IPEndPoint.Parse(destination), result.Header.Destination.ToEndPoint());
        AssertEveryPrefixNeedsMore(input, header.Length);
    }

    public static TheoryData<byte[]> V2WithoutAddresses => new()
    {
        // LOCAL: family and addresses are ignored, whatever they say.
        V2(0x20, 0x00, []),
        V2(0x20, 0x11, [1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2]),
        V2(0x20, 0xFF, [1, 2, 3]),
        // PROXY with UNSPEC, and with AF_UNIX (no IP to take).
        V2(0x21, 0x00, []),
        V2(0x21, 0x31, new byte[216]),
    };

    [Theory]
    [MemberData(nameof(V2WithoutAddresses))]
    public void Parse_V2LocalUnspecOrUnix_KeepsTheSocketAddress(byte[] header)
    {
        var result = ProxyHeaderParser.Parse(header);
        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(header.Length, result.Length);
        Assert.False(result.Header.HasAddresses);
        AssertEveryPrefixNeedsMore(header, header.Length);
    }

    public static TheoryData<byte[], ProxyHeaderError> MalformedV2 => new()
    {
        { [.. V2(0x21, 0x11, new byte[12])[..11], 0x0B, 0x21, 0x11, 0, 12], ProxyHeaderError.BadSignature },
        { V2(0x11, 0x11, new byte[12]), ProxyHeaderError.BadVersion },
        { V2(0x31, 0x11, new byte[12]), ProxyHeaderError.BadVersion },
        { V2(0x22, 0x11, new byte[12]), ProxyHeaderError.BadCommand },
        { V2(0x2F, 0x11, new byte[12]), ProxyHeaderError.BadCommand },
        { V2(0x21, 0x41, new byte[12]), ProxyHeaderError.BadFamily },
        { V2(0x21, 0x13, new byte[12]), ProxyHeaderError.BadFamily },
        { V2(0x21, 0x10, new byte[12]), ProxyHeaderError.BadFamily },
        // Datagram transports on a stream connection.
        { V2(0x21, 0x12, new byte[12]), ProxyHeaderError.BadFamily },
        { V2(0x21, 0x22, new byte[36]), ProxyHeaderError.BadFamily },
        // Lengths that lie: shorter than the family's address block.
        { V2(0x21, 0x11, new byte[11]), ProxyHeaderError.BadLength },
        { V2(0x21, 0x21, new byte[12]), ProxyHeaderError.BadLength },
        { V2(0x21, 0x31, new byte[100]), ProxyHeaderError.BadLength },
        // A TLV running past the header's end, and a TLV cut in its type/length.
        { V2(0x21, 0x11, [.. new byte[12], 0x01, 0x00, 0x05, 1, 2]), ProxyHeaderError.BadTlv },
        { V2(0x21, 0x11, [.. new byte[12], 0x01, 0x00]), ProxyHeaderError.BadTlv },
    };

    [Theory]
    [MemberData(nameof(MalformedV2))]
    public void Parse_MalformedV2_Invalid(byte[] header, ProxyHeaderError error)
    {
        var result = ProxyHeaderParser.Parse(header);
        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Parse_V2LengthLongerThanTheBytes_NeedsMoreUntilTheyCome()
    {
        // Says 12 + 200 bytes: a truncated header is never complete.
        var header = V2(0x21, 0x11, [.. new byte[12], 0xEE, 0x00, 197, .. new byte[197]]);
        Assert.Equal(16 + 212, header.Length);
        for (var n = 0; n < header.Length; n++)
        {
            Assert.Equal(ProxyParseStatus.NeedMore, ProxyHeaderParser.Parse(header.AsSpan(0, n)).Status);
        }
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.Parse(header).Status);
    }

    [Fact]
    public void Parse_V2MaximumLength_IsHonoured()
    {
        var block = new byte[65535];
        block[12] = 0xEE;
        block[13] = (byte)((65535 - 15) >> 8);
        block[14] = (byte)((65535 - 15) & 0xFF);
        var header = V2(0x21, 0x11, block);
        var result = ProxyHeaderParser.Parse(header);
        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(16 + 65535, result.Length);
    }

    [Fact]
    public void Writer_RoundTripsThroughTheParser()
    {
        var v4Source = NativeAddress.From(IPEndPoint.Parse("203.0.113.7:40000"));
        var v4Target = NativeAddress.From(IPEndPoint.Parse("198.51.100.1:443"));
        var v6Source = NativeAddress.From(IPEndPoint.Parse("[2001:db8::7]:40000"));
        Span<byte> buffer = stackalloc byte[128];
        foreach (var (source, target) in new[] { (v4Source, v4Target), (v6Source, v4Target), (v6Source, v6Source) })
        {
            foreach (var v1 in new[] { false, true })
            {
                var length = v1 ? ProxyHeaderWriter.WriteV1(buffer, source, target) : ProxyHeaderWriter.WriteV2(buffer, source, target);
                var result = ProxyHeaderParser.Parse(buffer[..length]);
                Assert.Equal(ProxyParseStatus.Complete, result.Status);
                Assert.Equal(length, result.Length);
                Assert.Equal(v1 ? 1 : 2, result.Header.Version);
                Assert.Equal(Normalize(source), Normalize(result.Header.Source.ToEndPoint()));
                Assert.Equal(Normalize(target), Normalize(result.Header.Destination.ToEndPoint()));
            }
        }
        var local = ProxyHeaderParser.Parse(buffer[..ProxyHeaderWriter.WriteV2(buffer, default, v4Target)]);
        Assert.Equal(ProxyParseStatus.Complete, local.Status);
        Assert.False(local.Header.HasAddresses);
        Assert.Equal("PROXY UNKNOWN\r\n", Encoding.ASCII.GetString(buffer[..ProxyHeaderWriter.WriteV1(buffer, default, v4Target)]));
    }

    [Fact]
    public void Parse_MutatedAndRandomInputs_NeverThrow_AndNeverClaimMoreThanTheInput()
    {
        // Seeded, bounded: 20,000 inputs, each a valid header with a few bytes changed, cut or extended, or noise.
        var random = new Random(16);
        byte[][] seeds =
        [
            Encoding.ASCII.GetBytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
            Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::1 ::ffff:1.2.3.4 1 2\r\n"),
            Encoding.ASCII.GetBytes("PROXY UNKNOWN\r\n"),
            V2(0x21, 0x11, [10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0, 81, 0x01, 0x00, 0x02, (byte)'h', (byte)'2']),
            V2(0x21, 0x21, new byte[36]),
            V2(0x20, 0x00, []),
        ];
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 5 == 4)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            else
            {
                var seed = seeds[random.Next(seeds.Length)];
                input = [.. seed, .. new byte[random.Next(0, 8)]];
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
                input = input[..random.Next(0, input.Length + 1)];
            }
            var result = ProxyHeaderParser.Parse(input);
            Assert.InRange(result.Length, 0, input.Length);
            Assert.True(result.Status != ProxyParseStatus.Complete || result.Length > 0);
            Assert.True((result.Status == ProxyParseStatus.Invalid) == (result.Error != ProxyHeaderError.None));
        }
    }

    [Fact]
    public void Parse_AllocatesNothing()
    {
        var v1 = Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::1 2001:db8::2 1234 443\r\n");
        var v2 = V2(0x21, 0x11, [192, 168, 0, 1, 192, 168, 0, 11, 0xDC, 0x04, 0x01, 0xBB]);
        ProxyHeaderParser.Parse(v1);
        ProxyHeaderParser.Parse(v2);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ProxyHeaderParser.Parse(v1);
            ProxyHeaderParser.Parse(v2);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static IPEndPoint Normalize(NativeAddress address) => Normalize(address.ToEndPoint());

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        new(endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address, endPoint.Port);

    private static void AssertEveryPrefixNeedsMore(byte[] input, int headerLength)
    {
        for (var n = 0; n < headerLength; n++)
        {
            var result = ProxyHeaderParser.Parse(input.AsSpan(0, n));
            Assert.True(result.Status == ProxyParseStatus.NeedMore, $"prefix of {n} bytes: {result}");
        }
        for (var n = headerLength; n <= input.Length; n++)
        {
            var result = ProxyHeaderParser.Parse(input.AsSpan(0, n));
            Assert.True(result.Status == ProxyParseStatus.Complete && result.Length == headerLength, $"{n} bytes: {result}");
        }
    }

    private static byte[] V2(byte versionCommand, byte family, byte[] block) =>
        [.. Signature, versionCommand, family, (byte)(block.Length >> 8), (byte)(block.Length & 0xFF), .. block];
}
