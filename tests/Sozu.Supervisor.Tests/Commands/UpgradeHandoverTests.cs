using Sozu.Supervisor.Commands;
using Xunit;

namespace Sozu.Supervisor.Tests.Commands;

public sealed class UpgradeHandoverTests
{
    [Theory]
    [InlineData("127.0.0.1:8080=7", "127.0.0.1:8080", 7)]
    [InlineData("[::1]:8443=12", "[::1]:8443", 12)]
    public void TryParseListenFd_AddressAndFd_AreSplitAtTheLastEquals(string text, string address, int fd)
    {
        Assert.True(UpgradeHandover.TryParseListenFd(text, out var entry));
        Assert.Equal(new KeyValuePair<string, int>(address, fd), entry);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("=7")]
    [InlineData("127.0.0.1:8080=")]
    [InlineData("127.0.0.1:8080=-1")]
    [InlineData("127.0.0.1:8080=x")]
    public void TryParseListenFd_Malformed_IsRefused(string text) =>
        Assert.False(UpgradeHandover.TryParseListenFd(text, out _));
}
