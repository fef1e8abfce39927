using System.Security.Authentication;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>SNI picks the certificate; certificates change at runtime without touching open connections.</summary>
public class CertificateSelectionTests
{
    private static readonly TestCertificate RsaA = TestCertificate.Rsa("a.test");
    private static readonly TestCertificate EcdsaB = TestCertificate.Ecdsa("b.test");

    [Fact(Timeout = 30_000)]
    public async Task TwoCertificatesOnOneListener_EachIsServedForItsName()
    {
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy(), EcdsaB.ForProxy()]);
        await Task.Yield();
        using (var a = TlsClient.Connect(https.Address, "a.test"))
        {
            Assert.Equal(RsaA.Der, a.ServerCertificate);
            Assert.Equal(200, a.Get("a.test", "/one").Status);
        }
        using (var b = TlsClient.Connect(https.Address, "b.test"))
        {
            Assert.Equal(EcdsaB.Der, b.ServerCertificate);
            Assert.Equal(200, b.Get("b.test", "/two").Status);
        }
        var counters = await https.Counters();
        Assert.Equal(2, counters!.Handshakes);
        Assert.Equal(0, counters.HandshakeFailures);
    }

    [Fact(Timeout = 30_000)]
    public async Task NamesComeFromTheCertificateSans_WhenNoneAreGiven()
    {
        var both = TestCertificate.Ecdsa("first.test", "second.test");
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy(), both.ForProxy()]);
        await Task.Yield();
        using var client = TlsClient.Connect(https.Address, "second.test");
        Assert.Equal(both.Der, client.ServerCertificate);
    }

    [Fact(Timeout = 30_000)]
    public async Task Wildcard_ServesOneLevelBelow_AndUnknownNamesGetTheDefault()
    {
        var wildcard = TestCertificate.Ecdsa("*.example.test");
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy(), wildcard.ForProxy()]);
        await Task.Yield();
        using (var sub = TlsClient.Connect(https.Address, "api.example.test"))
        {
            Assert.Equal(wildcard.Der, sub.ServerCertificate);
        }
        // Two levels below, the apex, an unknown name and no SNI: the default (the oldest certificate).
        foreach (var name in new[] { "a.b.example.test", "example.test", "unknown.test", null })
        {
            using var other = TlsClient.Connect(https.Address, name);
            Assert.Equal(RsaA.Der, other.ServerCertificate);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Replace_WhileAConnectionIsOpen_OldConnectionKeepsOldCertificate_NewOnesGetTheNewOne()
    {
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy()]);
        await Task.Yield();
        using var before = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(200, before.Get("a.test", "/before").Status);

        var renewed = TestCertificate.Ecdsa("a.test");
        await https.Worker.ApplyOk(new ReplaceCertificate(https.Listen, RsaA.Fingerprint, renewed.ForProxy()));

        using var after = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(renewed.Der, after.ServerCertificate);
        Assert.Equal(200, after.Get("a.test", "/after").Status);
        // The open connection goes on serving requests under the certificate it started with.
        Assert.Equal(RsaA.Der, before.ServerCertificate);
        Assert.Equal(200, before.Get("a.test", "/still").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Remove_TheNameFallsBackToTheDefault_AndTheLastOneLeavesNoCertificate()
    {
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy(), EcdsaB.ForProxy()]);
        await Task.Yield();
        await https.Worker.ApplyOk(new RemoveCertificate(https.Listen, EcdsaB.Fingerprint));
        using (var b = TlsClient.Connect(https.Address, "b.test"))
        {
            Assert.Equal(RsaA.Der, b.ServerCertificate);
        }
        await https.Worker.ApplyOk(new RemoveCertificate(https.Listen, RsaA.Fingerprint));
        Assert.ThrowsAny<AuthenticationException>(() => TlsClient.Connect(https.Address, "a.test"));
        var counters = await https.Counters();
        Assert.Equal(0, counters!.Certificates);
        Assert.Equal(1, counters.UnknownServerNames);

        var missing = await https.Worker.Worker.ApplyAsync(new RemoveCertificate(https.Listen, RsaA.Fingerprint));
        Assert.False(missing.Ok);
        Assert.Contains("no certificate with fingerprint", missing.Error, StringComparison.Ordinal);
    }
}
