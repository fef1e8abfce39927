using System.Security.Authentication;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>update_https_listener: what it changes applies to the frontends already routed, not only to later ones.</summary>
public class ListenerUpdateTests
{
    private static readonly TestCertificate Certificate = TestCertificate.Rsa("a.test");

    [Fact(Timeout = 30_000)]
    public async Task UpdatedHsts_AppliesToExistingFrontends_AndToAnOpenConnectionsNextRequest()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        // A second frontend with a policy of its own: the listener's must not override it.
        var own = await https.Worker.Worker.ApplyAsync(new AddHttpsFrontend(new HttpFrontend
        {
            ClusterId = "app", Address = https.Listen, Hostname = "own.test", Hsts = new HstsConfig { MaxAge = 42 },
        }));
        Assert.True(own.Ok, own.Error);
        using var open = TlsClient.Connect(https.Address, "a.test");
        Assert.Null(open.Get("a.test", "/").Header("Strict-Transport-Security"));

        var update = await https.Worker.Worker.ApplyAsync(new UpdateHttpsListener { Address = https.Listen, Hsts = new HstsConfig { MaxAge = 900, Preload = true } });
        Assert.True(update.Ok, update.Error);
        Assert.Equal("max-age=900; preload", open.Get("a.test", "/").Header("Strict-Transport-Security"));
        using (var fresh = TlsClient.Connect(https.Address, "a.test"))
        {
            Assert.Equal("max-age=900; preload", fresh.Get("a.test", "/").Header("Strict-Transport-Security"));
            Assert.Equal("max-age=42", fresh.Get("own.test", "/").Header("Strict-Transport-Security"));
        }

        // Switched off again: gone from the existing frontend, the frontend's own stays.
        var off = await https.Worker.Worker.ApplyAsync(new UpdateHttpsListener { Address = https.Listen, Hsts = new HstsConfig { Enabled = false } });
        Assert.True(off.Ok, off.Error);
        Assert.Null(open.Get("a.test", "/").Header("Strict-Transport-Security"));
        Assert.Equal("max-age=42", open.Get("own.test", "/").Header("Strict-Transport-Security"));
    }

    [Fact(Timeout = 30_000)]
    public async Task UpdatedPublicAddressAndStickyName_ApplyToAnOpenConnectionsNextRequest()
    {
        // X-Forwarded-Port is the configured port: the listener is configured with its real one.
        using var https = HttpsHarness.Start(ownSocket: true, certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var open = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(200, open.Get("a.test", "/").Status);
        var port = https.Address.Split(':')[1];
        Assert.Equal(port, https.Backend.Requests.Last().Header("X-Forwarded-Port"));

        var update = await https.Worker.Worker.ApplyAsync(new UpdateHttpsListener { Address = https.Listen, PublicAddress = "127.0.0.1:8443", StickyName = "RENAMED" });
        Assert.True(update.Ok, update.Error);
        Assert.Equal(200, open.Get("a.test", "/", "Cookie: RENAMED=app-0; other=1\r\n").Status);
        var forwarded = https.Backend.Requests.Last();
        Assert.Equal("8443", forwarded.Header("X-Forwarded-Port"));
        // The renamed sticky cookie is recognised (and so taken out), the other cookie passes.
        Assert.Equal("other=1", forwarded.Header("Cookie"));
    }

    [Fact(Timeout = 30_000)]
    public async Task UpdatedVersions_ApplyToTheNextHandshake_WhileAnOpenConnectionKeepsItsOwn()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var open = TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls12);
        var update = await https.Worker.Worker.ApplyAsync(new UpdateHttpsListener { Address = https.Listen, Versions = HttpsHarness.List(TlsVersion.TlsV13) });
        Assert.True(update.Ok, update.Error);
        Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, "a.test", SslProtocols.Tls12));
        Assert.Equal(200, open.Get("a.test", "/").Status);
        using var fresh = TlsClient.Connect(https.Address, "a.test");
        Assert.Equal(SslProtocols.Tls13, fresh.Stream.SslProtocol);
    }
}
