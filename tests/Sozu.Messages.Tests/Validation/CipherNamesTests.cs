using Sozu.Messages.Toml;
using Sozu.Messages.Validation;
using Xunit;

namespace Sozu.Messages.Tests.Validation;

public sealed class CipherNamesTests
{
    [Theory]
    [InlineData("TLS13_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", true)]
    [InlineData("TLS13_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", true)]
    [InlineData("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", true)]
    [InlineData("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", false)]
    [InlineData("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", false)]
    [InlineData("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", false)]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", false)]
    [InlineData("HIGH", "HIGH", false)]
    [InlineData("!aNULL", "!aNULL", false)]
    [InlineData("ECDHE+AESGCM", "ECDHE+AESGCM", false)]
    [InlineData("@STRENGTH", "@STRENGTH", false)]
    [InlineData("DEFAULT@SECLEVEL=2", "DEFAULT@SECLEVEL=2", false)]
    public void TryMap_EverySpelling_GivesOpenSslsNameAndVersion(string name, string openSsl, bool tls13)
    {
        Assert.True(CipherNames.TryMap(name, out var mapped, out var isTls13));
        Assert.Equal((openSsl, tls13), (mapped, isTls13));
    }

    [Theory]
    [InlineData("TLS_FOO")]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA257")]
    [InlineData("TLS13_AES_512_GCM")]
    [InlineData("!BOGUS")]
    public void TryMap_UnknownName_IsRefused(string name)
    {
        Assert.False(CipherNames.TryMap(name, out _, out _));
        Assert.Contains($"unknown cipher '{name}'", CipherNames.Check("cipher_list", "HIGH:" + name), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFile_UnknownCipher_IsAnErrorAtItsLine_IanaNamesLoad()
    {
        var bad = ConfigFileLoader.Parse("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            cipher_list = ["TLS13_AES_256_GCM_SHA384", "TLS_NOT_A_CIPHER"]
            """, "config.toml");
        var error = Assert.Single(Assert.IsType<LoadFailed>(bad).Errors);
        Assert.Equal(("listeners[0].cipher_list", 4), (error.Key, error.Line));
        Assert.Contains("unknown cipher 'TLS_NOT_A_CIPHER'", error.Message, StringComparison.Ordinal);

        Assert.IsType<LoadedConfig>(ConfigFileLoader.Parse("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            cipher_list = ["TLS13_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"]
            """, "config.toml"));
    }
}
