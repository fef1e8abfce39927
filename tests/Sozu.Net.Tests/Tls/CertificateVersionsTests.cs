using System.Security.Authentication;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>A certificate's own <c>versions</c> narrow the listener's for the names it serves, and only for them.</summary>
public class CertificateVersionsTests
{
    private static readonly TestCertificate OnlyTls13 = TestCertificate.Ecdsa("modern.test");
    private static readonly TestCertificate OnlyTls12 = TestCertificate.Rsa("legacy.test");
    private static readonly TestCertificate Unrestricted = TestCertificate.Rsa("any.test");

    [Fact(Timeout = 30_000)]
    public async Task ACertificateAllowingOnlyTls13_RefusesA12ClientHelloForItsName_AndServes13()
    {
        using var https = HttpsHarness.Start(certificates: [Unrestricted.ForProxy(), OnlyTls13.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }]);
        await Task.Yield();
        var refused = Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, "modern.test", SslProtocols.Tls12));
        Assert.True(refused is AuthenticationException or IOException, refused.ToString());
        using (var modern = TlsClient.Connect(https.Address, "modern.test"))
        {
            Assert.Equal(SslProtocols.Tls13, modern.Stream.SslProtocol);
            Assert.Equal(OnlyTls13.Der, modern.ServerCertificate);
            Assert.Equal(200, modern.Get("modern.test", "/").Status);
        }
        // The listener's other name still speaks 1.2.
        using (var other = TlsClient.Connect(https.Address, "any.test", SslProtocols.Tls12))
        {
            Assert.Equal(SslProtocols.Tls12, other.Stream.SslProtocol);
            Assert.Equal(Unrestricted.Der, other.ServerCertificate);
        }
        var counters = await https.Counters();
        Assert.Equal(1, counters!.HandshakeFailures);
        Assert.Equal(2, counters.Handshakes);
    }

    [Fact(Timeout = 30_000)]
    public async Task ACertificateAllowingOnlyTls12_RefusesA13OnlyClient_AndNegotiates12WithAClientOfferingBoth()
    {
        using var https = HttpsHarness.Start(certificates: [Unrestricted.ForProxy(), OnlyTls12.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV12) }]);
        await Task.Yield();
        Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, "legacy.test", SslProtocols.Tls13));
        using (var legacy = TlsClient.Connect(https.Address, "legacy.test"))
        {
            Assert.Equal(SslProtocols.Tls12, legacy.Stream.SslProtocol);
            Assert.Equal(OnlyTls12.Der, legacy.ServerCertificate);
            Assert.Equal(200, legacy.Get("legacy.test", "/").Status);
        }
        using (var other = TlsClient.Connect(https.Address, "any.test"))
        {
            Assert.Equal(SslProtocols.Tls13, other.Stream.SslProtocol);
        }
        var counters = await https.Counters();
        Assert.Equal(1, counters!.HandshakeFailures);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheDefaultCertificatesVersions_ApplyToClientsWithoutSni()
    {
        using var https = HttpsHarness.Start(certificates: [OnlyTls13.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }, Unrestricted.ForProxy()]);
        await Task.Yield();
        Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, null, SslProtocols.Tls12));
        using var client = TlsClient.Connect(https.Address, null);
        Assert.Equal(SslProtocols.Tls13, client.Stream.SslProtocol);
        Assert.Equal(OnlyTls13.Der, client.ServerCertificate);
    }

    [Fact(Timeout = 30_000)]
    public async Task VersionsTheListenerNeverAllows_AreRefusedWithTheReason_AndChangeNothing()
    {
        using var https = HttpsHarness.Start(c => c with { Versions = HttpsHarness.List(TlsVersion.TlsV12) }, certificates: [Unrestricted.ForProxy()]);
        await Task.Yield();
        var add = await https.Worker.Worker.ApplyAsync(new AddCertificate(https.Listen, OnlyTls13.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }));
        Assert.False(add.Ok);
        Assert.Contains("TLS 1.3", add.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await https.Counters())!.Certificates);

        Assert.True((await https.Worker.Worker.ApplyAsync(new AddCertificate(https.Listen, OnlyTls12.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV12) }))).Ok);
        var update = await https.Worker.Worker.ApplyAsync(new UpdateHttpsListener { Address = https.Listen, Versions = HttpsHarness.List(TlsVersion.TlsV13) });
        Assert.False(update.Ok);
        Assert.Contains(OnlyTls12.Fingerprint, update.Error, StringComparison.OrdinalIgnoreCase);
        // Still 1.2 for both names.
        using var client = TlsClient.Connect(https.Address, "legacy.test", SslProtocols.Tls12);
        Assert.Equal(200, client.Get("legacy.test", "/").Status);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(new byte[] { 0x00, 0x10, 0x00, 0x00, 0x03, (byte)'a', (byte)'.', (byte)'t' })] // list longer than the extension
    [InlineData(new byte[] { 0x00, 0x06, 0x00, 0x00, 0x09, (byte)'a', (byte)'.', (byte)'t' })] // name longer than the list
    [InlineData(new byte[] { 0x00, 0x02, 0x07, 0x00 })] // unknown name type, truncated
    [InlineData(new byte[] { })] // empty
    public async Task AMalformedServerNameExtension_EndsThatHandshake_AndHurtsNothingElse(byte[] serverName)
    {
        using var https = HttpsHarness.Start(certificates: [OnlyTls13.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }, Unrestricted.ForProxy()]);
        await Task.Yield();
        using (var raw = HttpClientConnection.Open(https.Address))
        {
            raw.Send(ClientHello(serverName));
            Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(5)));
        }
        var counters = await https.Counters();
        Assert.Equal(1, counters!.HandshakeFailures);
        using var client = TlsClient.Connect(https.Address, "modern.test");
        Assert.Equal(200, client.Get("modern.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheHandBuiltClientHello_WithAWellFormedServerName_GetsAServerHello()
    {
        // The control for the malformed cases: the same bytes with a valid name are answered.
        using var https = HttpsHarness.Start(certificates: [Unrestricted.ForProxy()]);
        await Task.Yield();
        byte[] name = [0x00, 0x0b, 0x00, 0x00, 0x08, .. "any.test"u8];
        using var raw = HttpClientConnection.Open(https.Address);
        raw.Send(ClientHello(name));
        var header = new byte[6];
        raw.Stream.ReadTimeout = 5_000;
        raw.Stream.ReadExactly(header);
        Assert.Equal(0x16, header[0]); // a handshake record,
        Assert.Equal(0x02, header[5]); // holding a ServerHello
    }

    /// <summary>A TLS 1.2 ClientHello (one AEAD suite) with server_name holding the given contents, then the groups and signature algorithms it needs.</summary>
    private static byte[] ClientHello(byte[] serverName)
    {
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]); // random
        body.Add(0x00); // no session id
        body.AddRange(new byte[] { 0x00, 0x02, 0xc0, 0x2f }); // ECDHE-RSA-AES128-GCM-SHA256
        body.AddRange(new byte[] { 0x01, 0x00 }); // no compression
        var extension = new List<byte> { 0x00, 0x00, (byte)(serverName.Length >> 8), (byte)serverName.Length };
        extension.AddRange(serverName);
        extension.AddRange(new byte[] { 0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d }); // supported_groups: x25519
        extension.AddRange(new byte[] { 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00 }); // ec_point_formats: uncompressed
        extension.AddRange(new byte[] { 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x08, 0x04 }); // signature_algorithms: rsa_pss_rsae_sha256
        body.AddRange(new[] { (byte)(extension.Count >> 8), (byte)extension.Count });
        body.AddRange(extension);
        var handshake = new List<byte> { 0x01, 0x00, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01, (byte)(handshake.Count >> 8), (byte)handshake.Count };
        record.AddRange(handshake);
        return [.. record];
    }
}
