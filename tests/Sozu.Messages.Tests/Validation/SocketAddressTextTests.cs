using Sozu.Messages.Validation;
using Xunit;

namespace Sozu.Messages.Tests.Validation;

public class SocketAddressTextTests
{
    [Theory]
    [InlineData("127.0.0.1:80")]
    [InlineData("0.0.0.0:65535")]
    [InlineData("[::1]:8080")]
    [InlineData("[2001:db8::1]:443")]
    public void Check_CanonicalIpAndPort_ReturnsNull(string address) => Assert.Null(SocketAddressText.Check("address", address));

    [Theory]
    [InlineData("[0:0:0:0:0:0:0:1]:80", "[::1]:80")]
    [InlineData("127.000.000.001:80", "127.0.0.1:80")]
    [InlineData("127.0.0.1:080", "127.0.0.1:80")]
    public void Check_NonCanonical_SuggestsTheCanonicalForm(string address, string canonical) =>
        Assert.Contains($"write '{canonical}'", SocketAddressText.Check("address", address), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData("127.0.0.1:")]
    [InlineData("example.com:80")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Check_NotAnIpAndPort_IsRefused(string address) => Assert.NotNull(SocketAddressText.Check("address", address));
}
