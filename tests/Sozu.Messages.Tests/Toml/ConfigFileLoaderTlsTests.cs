using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

/// <summary>Certificates, https listeners and how frontends bind to the listener at their address.</summary>
public sealed class ConfigFileLoaderTlsTests : IDisposable
{
    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private LoadResult Load(string toml) => ConfigFileLoader.Load(_folder.Write(toml));

    private LoadedConfig Loaded(string toml)
    {
        var result = Load(toml);
        if (result is LoadFailed failed)
        {
            Assert.Fail(string.Join('\n', failed.Errors));
        }
        return Assert.IsType<LoadedConfig>(result);
    }

    [Fact]
    public void HttpsListenerDefaultCertificate_BecomesAnAddCertificateOnItsAddress()
    {
        var config = Loaded("""
            [[listeners]]
            protocol = "https"
            address = "[::1]:8443"
            certificate = "assets/certificate.pem"
            key = "assets/key.pem"
            certificate_chain = "assets/certificate_chain.pem"
            cipher_list = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
            alpn_protocols = ["h2", "http/1.1"]
            [listeners.hsts]
            enabled = true
            include_subdomains = true
            """);

        var listener = Assert.IsType<AddHttpsListener>(config.Requests[0]).Listener;
        Assert.Equal("[::1]:8443", listener.Address);
        Assert.Equal(["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"], listener.CipherList);
        Assert.Equal(["http/1.1"], listener.AlpnProtocols);
        Assert.Equal(new HstsConfig { Enabled = true, IncludeSubdomains = true }, listener.Hsts);
        var add = Assert.IsType<AddCertificate>(config.Requests[1]);
        Assert.Equal("[::1]:8443", add.Address);
        Assert.Equal(CertificateFingerprint.TryCompute(File.ReadAllText(Path.Combine(_folder.Root, "assets", "certificate.pem"))),
            CertificateFingerprint.TryCompute(add.Certificate.Certificate));
        Assert.Single(config.Warnings, w => w.Key == "listeners[0].alpn_protocols" && w.Message.Contains("h2", StringComparison.Ordinal));
    }

    [Fact]
    public void TopLevelHstsTable_IsAnUnknownKeyWithAHint()
    {
        var failed = Assert.IsType<LoadFailed>(Load("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            [hsts]
            enabled = true
            """));

        var error = Assert.Single(failed.Errors);
        Assert.Equal((4, "hsts"), (error.Line, error.Key));
        Assert.Contains("[listeners.hsts]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameCertificateOnTwoFrontends_IsAddedOnce()
    {
        var config = Loaded("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            [clusters.a]
            protocol = "http"
            frontends = [
              { address = "127.0.0.1:8443", hostname = "lolcatho.st", certificate = "assets/certificate.pem", key = "assets/key.pem", tls_versions = ["TLS_V13"] },
              { address = "127.0.0.1:8443", hostname = "www.lolcatho.st", certificate = "assets/certificate.pem", key = "assets/key.pem" },
              { address = "127.0.0.1:8443", hostname = "other.test", certificate = "assets/other-certificate.pem", key = "assets/other-key.pem" },
            ]
            """);

        var certificates = config.Requests.OfType<AddCertificate>().ToList();
        Assert.Equal(2, certificates.Count);
        Assert.Equal([TlsVersion.TlsV13], certificates[0].Certificate.Versions);
        Assert.Equal(3, config.Requests.OfType<AddHttpsFrontend>().Count());
    }

    [Fact]
    public void HttpsListenerWithoutAnyCertificate_LoadsWithAWarningAtTheListener()
    {
        var config = Loaded("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            """);

        var warning = Assert.Single(config.Warnings);
        Assert.Equal((2, "listeners[0]"), (warning.Line, warning.Key));
    }

    [Fact]
    public void FrontendWithCertificateOnAnHttpListener_IsRefused()
    {
        var failed = Assert.IsType<LoadFailed>(Load("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            [clusters.a]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:8080", hostname = "lolcatho.st", certificate = "assets/certificate.pem", key = "assets/key.pem" } ]
            """));

        var error = Assert.Single(failed.Errors);
        Assert.Equal((6, "clusters.a.frontends[0].address"), (error.Line, error.Key));
        Assert.Contains("needs an https listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrontendWithCertificateAndNoListener_GetsAnImplicitHttpsListener()
    {
        var config = Loaded("""
            [clusters.a]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:8443", hostname = "lolcatho.st", certificate = "assets/certificate.pem", key = "assets/key.pem" } ]
            """);

        Assert.Equal("127.0.0.1:8443", Assert.IsType<AddHttpsListener>(config.Requests[0]).Listener.Address);
        Assert.Single(config.Requests.OfType<AddHttpsFrontend>());
    }

    [Fact]
    public void CertificateWithoutKey_IsRefused()
    {
        var failed = Assert.IsType<LoadFailed>(Load("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            certificate = "assets/certificate.pem"
            """));

        Assert.Equal((4, "listeners[0].certificate"), (failed.Errors[0].Line, failed.Errors[0].Key));
    }

    [Fact]
    public void KeyFileGivenAsCertificate_IsRefused()
    {
        var failed = Assert.IsType<LoadFailed>(Load("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            certificate = "assets/key.pem"
            key = "assets/key.pem"
            """));

        var error = Assert.Single(failed.Errors);
        Assert.Equal((4, "listeners[0].certificate", "assets/key.pem holds no PEM certificate"), (error.Line, error.Key, error.Message));
    }

    [Fact]
    public void HstsOnAnHttpListener_IsRefused()
    {
        var failed = Assert.IsType<LoadFailed>(Load("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            [listeners.hsts]
            enabled = true
            """));

        Assert.Equal("listeners[0].hsts", Assert.Single(failed.Errors).Key);
    }

    [Fact]
    public void TcpListenerClaimedByTwoClusters_IsRefusedAtTheSecond()
    {
        var failed = Assert.IsType<LoadFailed>(Load("""
            [clusters.a]
            protocol = "tcp"
            frontends = [ { address = "127.0.0.1:9000" } ]
            [clusters.b]
            protocol = "tcp"
            frontends = [ { address = "127.0.0.1:9000" } ]
            """));

        var error = Assert.Single(failed.Errors);
        Assert.Equal((6, "clusters.b.frontends[0].address"), (error.Line, error.Key));
        Assert.Contains("cluster a", error.Message, StringComparison.Ordinal);
    }
}
