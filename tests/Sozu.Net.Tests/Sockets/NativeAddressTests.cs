using System.Net;
using System.Text;
using Sozu.Net.Sockets;
using Xunit;

namespace Sozu.Net.Tests.Sockets;

public class NativeAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("10.200.3.255:1", "10.200.3.255", 1)]
    [InlineData("[::1]:443", "::1", 443)]
    [InlineData("[2001:db8::17]:65535", "2001:db8::17", 65535)]
    public void TryParse_ThenFormat_RoundTrips(string text, string ip, int port)
    {
        Assert.True(NativeAddress.TryParse(text, out var address, out _));
        Span<byte> buffer = stackalloc byte[46];

        Assert.True(address.TryFormatIp(buffer, out var written));
        Assert.Equal(ip, Encoding.ASCII.GetString(buffer[..written]));
        Assert.Equal(port, address.Port);
        Assert.Equal(IPEndPoint.Parse(text), address.ToEndPoint());
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost:80")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    public void TryParse_NotAnIpAndPort_FailsWithAReason(string text)
    {
        Assert.False(NativeAddress.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }
}
