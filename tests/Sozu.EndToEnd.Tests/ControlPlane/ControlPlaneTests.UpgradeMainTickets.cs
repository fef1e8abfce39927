using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sozu.Actors.Client;
using Sozu.EndToEnd.Tests.Support;
using Sozu.EndToEnd.Tests.Tls;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.ControlPlane;

/// <summary>upgrade_main hands the session-ticket keys to the new supervisor (through a pipe): tickets issued before still open after.</summary>
public sealed partial class ControlPlaneTests
{
    [Fact]
    public async Task Upgrade_main_keeps_the_ticket_keys_so_a_client_resumes_after_the_upgrade()
    {
        var openssl = ExternalTool.Find("/usr/bin/openssl") ?? throw new InvalidOperationException("openssl is not installed: run scripts/setup.sh");
        using var backend = new TestBackend("one");
        using var proxy = ProxyProcess.Start("app.test", backend.Address);
        Assert.True(await HttpProbe.WaitForAsync(proxy.ListenerPort, "app.test", "one", StartLimit), proxy.Output);
        var https = $"127.0.0.1:{Support.FreePort.Tcp()}";
        List<int> workers;
        int oldSupervisor;
        await using (var client = await Connect(proxy))
        {
            workers = (await WaitForRunning(client, 2)).Where(w => w.State == "running").Select(w => w.Pid).ToList();
            oldSupervisor = await SupervisorPid(client);
            foreach (var request in new Request[]
            {
                new AddHttpsListener(new HttpsListenerConfig { Address = https }),
                new AddCertificate(https, LocalhostCertificate()),
                new ActivateListener(https, ListenerProtocol.Https),
                new AddHttpsFrontend(new HttpFrontend { ClusterId = "app", Address = https, Hostname = "localhost" }),
            })
            {
                var answer = await client.SendAsync(request);
                Assert.True(answer.Status == AnswerStatus.Ok, $"{request}: {answer.Message}");
            }
        }
        var port = int.Parse(https[(https.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var session = Path.Combine(proxy.Directory, "session.pem");
        Assert.False((await ResumingClient.ConnectAsync(openssl, port, session, "one", workers)).Reused);
        Assert.True((await ResumingClient.ConnectAsync(openssl, port, session, "one", workers)).Reused);

        await using (var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: StartLimit))
        {
            var upgraded = await client.SendAsync(new UpgradeMain());
            Assert.True(upgraded.Status == AnswerStatus.Ok, upgraded.Message + "\n" + proxy.Output);
        }
        var newSupervisor = await WaitForNewSupervisor(proxy, oldSupervisor);
        proxy.AddSuccessor(newSupervisor);
        await using (var client = await Connect(proxy))
        {
            // Running: each adopted worker confirmed the new supervisor's sync, keys included.
            await WaitForRunning(client, 2);
        }

        for (var i = 0; i < 6; i++)
        {
            var resumed = await ResumingClient.ConnectAsync(openssl, port, session, "one", workers);
            Assert.True(resumed.Reused, $"connection {i} after the upgrade did not resume:\n{resumed.Transcript}\n{proxy.Output}");
        }
    }

    private async Task<int> WaitForNewSupervisor(ProxyProcess proxy, int oldSupervisor)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var client = await SozuClient.ConnectAsync(proxy.SocketDirectory, timeout: TimeSpan.FromSeconds(5));
                var status = await client.SendAsync(new Status());
                if (status.Content is StatusContent content && content.SupervisorPid != oldSupervisor)
                {
                    return content.SupervisorPid;
                }
                output.WriteLine($"status: {status.Status} {status.Message}");
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("no new supervisor answered\n" + proxy.Output);
    }

    private static CertificateAndKey LocalhostCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new CertificateAndKey { Certificate = certificate.ExportCertificatePem(), Key = key.ExportPkcs8PrivateKeyPem() };
    }
}
