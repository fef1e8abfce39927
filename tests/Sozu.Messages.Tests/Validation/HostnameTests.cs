using Sozu.Messages.Validation;
using Xunit;

namespace Sozu.Messages.Tests.Validation;

public class HostnameTests
{
    [Theory]
    [InlineData("example.com")]
    [InlineData("*")]
    [InlineData("*.example.com")]
    [InlineData("API-1.Example.com")]
    [InlineData("localhost")]
    [InlineData("_acme.example.com")]
    public void Check_ValidName_ReturnsNull(string hostname) => Assert.Null(Hostname.Check("hostname", hostname));

    [Theory]
    [InlineData("*.*.example.com")]
    [InlineData("a*.example.com")]
    [InlineData("example.com.")]
    [InlineData("exa mple.com")]
    [InlineData("example-.com")]
    public void Check_InvalidName_NamesFieldAndValue(string hostname)
    {
        var error = Hostname.Check("hostname", hostname);

        Assert.NotNull(error);
        Assert.Contains($"hostname '{hostname}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LabelOf64Characters_IsRefused() => Assert.NotNull(Hostname.Check("hostname", new string('a', 64) + ".com"));

    [Theory]
    [InlineData("*.example.com", "www.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("Example.com", "example.COM", true)]
    [InlineData("*", "anything", true)]
    public void Covers_MatchesOneLabelWildcardsIgnoringCase(string pattern, string host, bool expected) =>
        Assert.Equal(expected, Hostname.Covers(pattern, host));
}
