using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Sockets;

namespace Sozu.Benchmarks.ProxyProtocol;

/// <summary>
/// The PROXY header work per connection on an expect_proxy listener (parse) and for a
/// send_proxy cluster (write): the parser runs once per peek of the connection's first bytes.
/// On this shared 2-core machine (load average 14–20) the mean swings with the neighbours;
/// the minimum and the median are the figures to compare.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ProxyHeaderBenchmarks
{
    // What a balancer sends, followed by the request that shares its first segment.
    private static readonly byte[] V1Tcp4 = Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.195 192.0.2.10 56324 443\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    private static readonly byte[] V1Tcp6 = Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8:85a3::8a2e:370:7334 2001:db8::10 56324 443\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    private static readonly byte[] V2Inet4;
    private static readonly byte[] V2Inet6WithTlvs;

    private readonly byte[] _output = new byte[ProxyHeaderWriter.V2MaxLength];
    private readonly NativeAddress _source = NativeAddress.From(IPEndPoint.Parse("203.0.113.195:56324"));
    private readonly NativeAddress _target = NativeAddress.From(IPEndPoint.Parse("192.0.2.10:443"));

#pragma warning disable CA1810 // the inputs are built once from the writer, so they are valid by construction
    static ProxyHeaderBenchmarks()
#pragma warning restore CA1810
    {
        var buffer = new byte[ProxyHeaderWriter.V2MaxLength];
        var n = ProxyHeaderWriter.WriteV2(buffer, NativeAddress.From(IPEndPoint.Parse("203.0.113.195:56324")), NativeAddress.From(IPEndPoint.Parse("192.0.2.10:443")));
        V2Inet4 = [.. buffer[..n], .. "GET / HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray()];
        n = ProxyHeaderWriter.WriteV2(buffer, NativeAddress.From(IPEndPoint.Parse("[2001:db8:85a3::8a2e:370:7334]:56324")), NativeAddress.From(IPEndPoint.Parse("[2001:db8::10]:443")));
        // As AWS NLB sends it: the addresses, then an ALPN and a 25-byte VPC endpoint id TLV.
        byte[] tlvs = [0x01, 0x00, 0x02, (byte)'h', (byte)'2', 0xEA, 0x00, 0x19, .. Encoding.ASCII.GetBytes("vpce-0123456789abcdef0123")];
        var header = buffer[..n];
        var length = (header[14] << 8 | header[15]) + tlvs.Length;
        header[14] = (byte)(length >> 8);
        header[15] = (byte)length;
        V2Inet6WithTlvs = [.. header, .. tlvs, .. "GET / HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray()];
    }

    [Benchmark]
    public int ParseV1Tcp4() => ProxyHeaderParser.Parse(V1Tcp4).Length;

    [Benchmark]
    public int ParseV1Tcp6() => ProxyHeaderParser.Parse(V1Tcp6).Length;

    [Benchmark]
    public int ParseV2Inet4() => ProxyHeaderParser.Parse(V2Inet4).Length;

    [Benchmark]
    public int ParseV2Inet6WithTlvs() => ProxyHeaderParser.Parse(V2Inet6WithTlvs).Length;

    [Benchmark]
    public int WriteV2Inet4() => ProxyHeaderWriter.WriteV2(_output, _source, _target);
}
