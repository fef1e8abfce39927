using System.Diagnostics;
using System.Security.Authentication;
using Sozu.Messages.Config;
using Sozu.Net.Tests.Support;
using Sozu.Net.Tests.Worker;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>Each way a handshake can end, over real sockets, lands in its own counter and in no other.</summary>
public class TlsCountersTests
{
    private static readonly TestCertificate Certificate = TestCertificate.Rsa("a.test");

    [Fact(Timeout = 30_000)]
    public async Task Handshakes_AreCountedByNegotiatedVersion()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using (var tls12 = TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls12))
        {
            Assert.Equal(200, tls12.Get("a.test", "/").Status);
        }
        for (var i = 0; i < 2; i++)
        {
            using var tls13 = TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls13);
            Assert.Equal(200, tls13.Get("a.test", "/").Status);
        }
        var counters = (await https.Counters())!;
        Assert.Equal((3, 1, 2, 0), (counters.Handshakes, counters.Tls12Handshakes, counters.Tls13Handshakes, counters.HandshakeFailures));
    }

    [Fact(Timeout = 30_000)]
    public async Task PlainHttpAndNoise_AreCountedAsBadClientHellos()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using (var raw = HttpClientConnection.Open(https.Address))
        {
            raw.Send("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
            Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(3)));
        }
        using (var raw = HttpClientConnection.Open(https.Address))
        {
            // A handshake record that holds a message of an unknown type.
            raw.Send(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff });
            Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(3)));
        }
        var counters = (await https.Counters())!;
        Assert.Equal(2, counters.BadClientHellos);
        Assert.Equal(2, counters.HandshakeFailures);
        Assert.Equal((0, 0, 0, 0), (counters.PeerAlerts, counters.NoSharedCipherOrVersion, counters.UnknownServerNames, counters.PeerClosed));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task AClientThatRejectsTheCertificate_IsCountedAsAPeerAlert(string version)
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        // openssl s_client checks the chain during the handshake and, told to fail on a bad one,
        // ends it with a fatal alert (unknown_ca: the test certificate is self-signed).
        var start = new ProcessStartInfo("openssl", ["s_client", "-connect", https.Address, "-servername", "a.test", version, "-verify_return_error"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var client = Process.Start(start)!;
        client.StandardInput.Close();
        var output = client.StandardOutput.ReadToEndAsync();
        var errors = client.StandardError.ReadToEndAsync();
        if (!client.WaitForExit(10_000))
        {
            client.Kill();
        }
        await Task.WhenAll(output, errors);
        Assert.NotEqual(0, client.ExitCode);
        await LimitsTests.WaitFor(async () => (await https.Counters())!.HandshakeFailures == 1);
        var counters = (await https.Counters())!;
        Assert.Equal((1, 0, 0, 0), (counters.PeerAlerts, counters.Handshakes, counters.BadClientHellos, counters.PeerClosed));
    }

    [Fact(Timeout = 30_000)]
    public async Task AClientWithNoVersionInCommon_IsCountedAsNoSharedCipherOrVersion()
    {
        using var https = HttpsHarness.Start(c => c with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }, certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        Assert.ThrowsAny<AuthenticationException>(() => TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls12));
        await LimitsTests.WaitFor(async () => (await https.Counters())!.HandshakeFailures == 1);
        var counters = (await https.Counters())!;
        Assert.Equal((1, 0, 0), (counters.NoSharedCipherOrVersion, counters.BadClientHellos, counters.PeerClosed));
    }

    [Fact(Timeout = 30_000)]
    public async Task ACertificateThatRefusesTheClientsVersion_IsCountedAsNoSharedCipherOrVersion()
    {
        var only13 = TestCertificate.Ecdsa("b.test");
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy(), only13.ForProxy() with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }]);
        await Task.Yield();
        Assert.ThrowsAny<AuthenticationException>(() => TlsClient.Connect(https.Address, "b.test", SslProtocols.Tls12));
        await LimitsTests.WaitFor(async () => (await https.Counters())!.HandshakeFailures == 1);
        var counters = (await https.Counters())!;
        Assert.Equal((1, 0), (counters.NoSharedCipherOrVersion, counters.BadClientHellos));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnUnknownServerName_IsCountedOnceAsSuch()
    {
        using var https = HttpsHarness.Start();
        await Task.Yield();
        Assert.ThrowsAny<AuthenticationException>(() => TlsClient.Connect(https.Address, "nobody.test"));
        await LimitsTests.WaitFor(async () => (await https.Counters())!.HandshakeFailures == 1);
        var counters = (await https.Counters())!;
        Assert.Equal((1, 0, 0), (counters.UnknownServerNames, counters.BadClientHellos, counters.NoSharedCipherOrVersion));
    }

    [Fact(Timeout = 30_000)]
    public async Task AClientThatHangsUpMidHandshake_IsCountedAsPeerClosed_NotAsATimeout()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using (var raw = HttpClientConnection.Open(https.Address))
        {
            // The first bytes of a record header, then the client goes away.
            raw.Send(new byte[] { 0x16, 0x03, 0x01 });
        }
        await LimitsTests.WaitFor(async () => (await https.Counters())!.HandshakeFailures == 1);
        var counters = (await https.Counters())!;
        Assert.Equal((1, 0, 0), (counters.PeerClosed, counters.BadClientHellos, counters.HandshakeTimeouts));
    }
}
