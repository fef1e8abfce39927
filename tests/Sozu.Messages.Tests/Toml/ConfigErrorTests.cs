using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

public sealed class ConfigErrorTests
{
    [Fact]
    public void ToString_WithPlaceAndKey_IsFileLineColumnKeyMessage() =>
        Assert.Equal("/etc/sozu.toml:12:5: listeners[0].address: bad", new ConfigError("/etc/sozu.toml", 12, 5, "listeners[0].address", "bad").ToString());

    [Fact]
    public void ToString_WithoutKey_LeavesTheKeyOut() =>
        Assert.Equal("a.toml:1:2: TOML syntax: x", new ConfigError("a.toml", 1, 2, "", "TOML syntax: x").ToString());

    [Fact]
    public void ToString_WithoutLine_LeavesThePlaceOut() =>
        Assert.Equal("a.toml: configuration file not found", new ConfigError("a.toml", 0, 0, "", "configuration file not found").ToString());
}
