using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using Sozu.Messages.Config;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>Listener options: TLS versions, ALPN, ciphers, session tickets.</summary>
public class ProtocolOptionsTests
{
    private static readonly TestCertificate RsaA = TestCertificate.Rsa("a.test");
    private static readonly TestCertificate EcdsaB = TestCertificate.Ecdsa("b.test");

    [Fact(Timeout = 30_000)]
    public async Task Tls12OnlyListener_RefusesATls13OnlyClient_AndServesTls12()
    {
        using var https = HttpsHarness.Start(c => c with { Versions = HttpsHarness.List(TlsVersion.TlsV12) }, certificates: [RsaA.ForProxy()]);
        await Task.Yield();
        Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls13));
        using var client = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(SslProtocols.Tls12, client.Stream.SslProtocol);
        Assert.Equal(200, client.Get("a.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Tls13OnlyListener_RefusesATls12OnlyClient_AndServesTls13()
    {
        using var https = HttpsHarness.Start(c => c with { Versions = HttpsHarness.List(TlsVersion.TlsV13) }, certificates: [RsaA.ForProxy()]);
        await Task.Yield();
        Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls12));
        using var client = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(SslProtocols.Tls13, client.Stream.SslProtocol);
        Assert.Equal(200, client.Get("a.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task DefaultListener_NegotiatesBothVersions()
    {
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy()]);
        await Task.Yield();
        using var tls12 = TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls12);
        Assert.Equal(SslProtocols.Tls12, tls12.Stream.SslProtocol);
        using var tls13 = TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls13);
        Assert.Equal(SslProtocols.Tls13, tls13.Stream.SslProtocol);
    }

    [Fact(Timeout = 30_000)]
    public async Task Alpn_NegotiatesHttp11_OnTheDefaultAndOnAnSniCertificate_AndNeverH2()
    {
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy(), EcdsaB.ForProxy()]);
        await Task.Yield();
        foreach (var name in new[] { "a.test", "b.test" })
        {
            using var client = TlsClient.Connect(https.Address, name, alpn: ["h2", "http/1.1"]);
            Assert.Equal(SslApplicationProtocol.Http11, client.Stream.NegotiatedApplicationProtocol);
        }
        // A client offering only h2 gets no ALPN rather than a protocol the proxy cannot speak.
        using var h2Only = TlsClient.Connect(https.Address, "a.test", alpn: ["h2"]);
        Assert.NotEqual(SslApplicationProtocol.Http2, h2Only.Stream.NegotiatedApplicationProtocol);
    }

    [Fact(Timeout = 30_000)]
    public async Task BadListenerOptions_AreRefusedWithTheReason()
    {
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy()]);
        await Task.Yield();
        var badCiphers = await https.Worker.Worker.ApplyAsync(new Sozu.Messages.Requests.UpdateHttpsListener { Address = https.Listen, CipherList = HttpsHarness.List("NOT-A-CIPHER") });
        Assert.False(badCiphers.Ok);
        Assert.Contains("cipher_list", badCiphers.Error, StringComparison.Ordinal);
        // Nothing changed: the listener still serves.
        using var client = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(200, client.Get("a.test", "/").Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task OpensslClient_FindsNoTls11_NoWeakCipher_AndResumesWithTickets()
    {
        if (!File.Exists("/usr/bin/openssl"))
        {
            return;
        }
        using var https = HttpsHarness.Start(certificates: [RsaA.ForProxy()]);
        await Task.Yield();
        // SECLEVEL=0 lets the client offer TLS 1.1 and legacy ciphers, so only the server can refuse them.
        var tls11 = RunSClient(https.Address, "-tls1_1 -cipher DEFAULT:@SECLEVEL=0");
        Assert.NotEqual(0, tls11.ExitCode);
        Assert.Contains("alert protocol version", tls11.Output, StringComparison.Ordinal);
        Assert.Contains("Cipher is (NONE)", tls11.Output, StringComparison.Ordinal);
        foreach (var weak in new[] { "AES128-SHA", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-SHA384" })
        {
            var refused = RunSClient(https.Address, $"-tls1_2 -cipher {weak}:@SECLEVEL=0");
            Assert.True(refused.ExitCode != 0 && refused.Output.Contains("Cipher is (NONE)", StringComparison.Ordinal), $"{weak} was accepted: {refused.Output}");
        }
        var strong = RunSClient(https.Address, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256");
        Assert.Equal(0, strong.ExitCode);
        Assert.Contains("ECDHE-RSA-AES128-GCM-SHA256", strong.Output, StringComparison.Ordinal);

        var resumed = RunSClient(https.Address, "-tls1_2 -reconnect");
        Assert.Contains("Reused, TLSv1.2", resumed.Output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) RunSClient(string address, string arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/openssl", $"s_client -connect {address} -servername a.test {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(15_000))
        {
            process.Kill();
            throw new TimeoutException($"openssl s_client {arguments} did not finish");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
