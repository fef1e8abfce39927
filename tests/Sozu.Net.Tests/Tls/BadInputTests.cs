using System.Security.Authentication;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>What a broken client or a bad certificate does to an HTTPS listener: a clear end, a counter, nothing else changed.</summary>
public class BadInputTests
{
    private static readonly TestCertificate Certificate = TestCertificate.Rsa("a.test");
    private static readonly TestCertificate Other = TestCertificate.Ecdsa("b.test");

    [Fact(Timeout = 30_000)]
    public async Task PlaintextInsteadOfAClientHello_IsClosed_AndCounted()
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
            raw.Send(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff });
            Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(3)));
        }
        var counters = await https.Counters();
        Assert.Equal(2, counters!.HandshakeFailures);
        Assert.Equal(0, counters.Handshakes);
        Assert.Empty(https.Backend.Requests);
        // The listener is unharmed.
        using var client = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(200, client.Get("a.test", "/").Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task RandomBytes_AfterATlsRecordHeader_NeverHurtTheWorker()
    {
        // Noise that announces more bytes than it sends ends by the handshake timeout (2 s; the
        // same timeout then idles the final client, which must not lose it on a loaded machine).
        using var https = HttpsHarness.Start(c => c with { FrontTimeout = 2 }, certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        var random = new Random(7);
        const int attempts = 60;
        for (var i = 0; i < attempts; i++)
        {
            // A handshake record header with a plausible length, then noise (sometimes a real-looking ClientHello prefix).
            var noise = new byte[random.Next(1, 600)];
            random.NextBytes(noise);
            var record = new byte[] { 0x16, 0x03, (byte)random.Next(0, 4), (byte)(noise.Length >> 8), (byte)noise.Length, 0x01 };
            using var raw = HttpClientConnection.Open(https.Address);
            raw.Send([.. record, .. noise]);
            Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(5)), $"attempt {i} left open");
        }
        var counters = await https.Counters();
        Assert.Equal(attempts, counters!.HandshakeFailures + counters.HandshakeTimeouts);
        using var client = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(200, client.Get("a.test", "/").Status);
        Assert.Equal(1, (await https.Worker.Worker.QueryMetricsAsync()).Sessions);
    }

    [Fact(Timeout = 30_000)]
    public async Task AStalledHandshake_TimesOutAfterTheFrontTimeout_AndIsCounted()
    {
        using var https = HttpsHarness.Start(c => c with { FrontTimeout = 1 }, certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var raw = HttpClientConnection.Open(https.Address);
        // The first bytes of a record header, then nothing.
        raw.Send(new byte[] { 0x16, 0x03, 0x01 });
        var started = DateTime.UtcNow;
        Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(5)));
        Assert.True(DateTime.UtcNow - started > TimeSpan.FromMilliseconds(500));
        var counters = await https.Counters();
        Assert.Equal(1, counters!.HandshakeTimeouts);
        var metrics = await https.Worker.Worker.QueryMetricsAsync();
        Assert.Equal(0, metrics.Sessions);
    }

    [Fact(Timeout = 30_000)]
    public async Task AStalledHandshake_EndsAtTheHandshakeTimeout_LongBeforeTheFrontTimeout_AndIsCounted()
    {
        var options = new Sozu.Net.Worker.ProxyWorkerOptions { TlsHandshakeTimeout = TimeSpan.FromSeconds(1) };
        using var https = HttpsHarness.Start(c => c with { FrontTimeout = 60 }, options: options, certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        var started = DateTime.UtcNow;
        using var raw = HttpClientConnection.Open(https.Address);
        // The first bytes of a record header, then nothing.
        raw.Send(new byte[] { 0x16, 0x03, 0x01 });
        Assert.True(raw.ClosedWithin(TimeSpan.FromSeconds(10)), "still open 10 s after accept");
        var elapsed = DateTime.UtcNow - started;
        Assert.True(elapsed > TimeSpan.FromMilliseconds(800), $"closed after {elapsed.TotalMilliseconds} ms");
        var counters = await https.Counters();
        Assert.Equal(1, counters!.HandshakeTimeouts);
        Assert.Equal(0, counters.HandshakeFailures);
        Assert.Equal(0, (await https.Worker.Worker.QueryMetricsAsync()).Sessions);
        // A real client still gets through.
        using var client = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(200, client.Get("a.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task AHandshakeTrickledByteByByte_GetsNoMoreTimeThanTheHandshakeTimeout()
    {
        var options = new Sozu.Net.Worker.ProxyWorkerOptions { TlsHandshakeTimeout = TimeSpan.FromSeconds(1) };
        using var https = HttpsHarness.Start(c => c with { FrontTimeout = 60 }, options: options, certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        var started = DateTime.UtcNow;
        using var raw = HttpClientConnection.Open(https.Address);
        // A record header announcing a 512-byte ClientHello, then one byte every 200 ms: never idle, never done.
        raw.Send(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });
        var closed = false;
        for (var i = 0; i < 40 && !closed; i++)
        {
            try
            {
                raw.Send(new byte[] { 0x00 });
            }
            catch (IOException)
            {
                closed = true;
                break;
            }
            closed = raw.ClosedWithin(TimeSpan.FromMilliseconds(200));
        }
        var elapsed = DateTime.UtcNow - started;
        Assert.True(closed, $"still open after {elapsed.TotalMilliseconds} ms of trickling");
        // The counter, not a wall-clock bound, says what closed it: the handshake deadline.
        Assert.Equal(1, (await https.Counters())!.HandshakeTimeouts);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnknownSni_WithNoDefault_EndsWithAnAlert_AndIsCounted()
    {
        using var https = HttpsHarness.Start();
        await Task.Yield();
        var error = Assert.ThrowsAny<AuthenticationException>(() => TlsClient.Connect(https.Address, "nobody.test"));
        Assert.NotNull(error);
        var counters = await https.Counters();
        Assert.Equal(1, counters!.UnknownServerNames);
        Assert.Equal(1, counters.HandshakeFailures);
    }

    [Fact(Timeout = 30_000)]
    public async Task BadCertificates_AreRefusedNamingTheProblem_AndChangeNothing()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        var cases = new (CertificateAndKey Certificate, string Expected)[]
        {
            (new CertificateAndKey { Certificate = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", Key = Certificate.KeyPem }, "PEM"),
            (new CertificateAndKey { Certificate = "garbage", Key = Certificate.KeyPem }, "PEM"),
            (new CertificateAndKey { Certificate = Other.CertificatePem, Key = Certificate.KeyPem }, "key"),
            (new CertificateAndKey { Certificate = Other.CertificatePem, Key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }, "key"),
            (Other.ForProxy() with { CertificateChain = HttpsHarness.List("not a certificate") }, "certificate_chain[0]"),
        };
        foreach (var (certificate, expected) in cases)
        {
            var result = await https.Worker.Worker.ApplyAsync(new AddCertificate(https.Listen, certificate));
            Assert.False(result.Ok);
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        }
        var replace = await https.Worker.Worker.ApplyAsync(new ReplaceCertificate(https.Listen, Certificate.Fingerprint, cases[2].Certificate));
        Assert.False(replace.Ok);
        var counters = await https.Counters();
        Assert.Equal(1, counters!.Certificates);
        using var client = TlsClient.Connect(https.Address, "b.test");
        Assert.Equal(Certificate.Der, client.ServerCertificate);
    }

    [Fact(Timeout = 30_000)]
    public async Task CertificateWithAChain_IsServedWithIt()
    {
        var intermediate = TestCertificate.Ecdsa("intermediate.test");
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy() with { CertificateChain = HttpsHarness.List(intermediate.CertificatePem) }]);
        await Task.Yield();
        var chain = OpensslChain(https.Address);
        Assert.Contains("CN = a.test", chain, StringComparison.Ordinal);
        Assert.Contains("CN = intermediate.test", chain, StringComparison.Ordinal);
    }

    private static string OpensslChain(string address)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/openssl", $"s_client -connect {address} -servername a.test -showcerts")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(15_000))
        {
            process.Kill();
            throw new TimeoutException("openssl s_client did not finish");
        }
        return output.Result + error.Result;
    }
}
