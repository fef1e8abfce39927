using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Tls;

/// <summary>
/// `sozu start` on a file with the keys, values and layout of Sōzu's sample bin/config.toml
/// (Sōzu 2.1; AGPL-3.0, so the file is not copied: the test writes one of the same shape).
/// Adjusted: listener and frontend addresses (127.0.0.1 and free ports instead of 0.0.0.0:8080,
/// 8443, 8081), backend addresses (test backends instead of 127.0.0.1:1026, 4000, 4001), and
/// the certificate paths (a certificate generated for lolcatho.st). Removed: nothing; the
/// sample's keys either act here or are cosmetic (command_buffer_size, worker_timeout,
/// handle_process_affinity: warnings). Its cipher_list names ciphers in rustls/IANA form.
/// </summary>
public sealed class SozuSampleConfigEndToEndTests
{
    private static readonly TimeSpan CurlLimit = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 180_000)]
    public async Task SozusSampleFile_ServesHttpHttpsAndTcp_WithItsIanaCipherNames()
    {
        var curl = ExternalTool.Find("/usr/bin/curl") ?? throw new InvalidOperationException("curl is not installed: run scripts/setup.sh");
        using var http = new TestBackend("the-backend-to-my-app");
        using var tcp0 = new TestBackend("tcp-0");
        using var tcp1 = new TestBackend("tcp-1");
        using var host = new SozuHost();
        var (httpPort, httpsPort, tcpPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        var (certificate, key, chain) = WriteCertificate(host.Directory);
        File.WriteAllText(host.ConfigPath, $$"""
            # The shape of Sōzu's sample bin/config.toml, written for this test.
            log_level = "info"
            log_target = "stdout"
            command_socket = "./sozu.sock"
            command_buffer_size = 16384
            max_command_buffer_size = 163840
            worker_count = 2
            worker_automatic_restart = true
            worker_timeout = 10
            handle_process_affinity = false
            max_connections = 500
            buffer_size = 16393
            activate_listeners = true

            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:{{httpPort}}"

            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:{{httpsPort}}"
            tls_versions = ["TLS_V12", "TLS_V13"]
            cipher_list = [
                "TLS13_AES_256_GCM_SHA384",
                "TLS13_AES_128_GCM_SHA256",
                "TLS13_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            ]

            [clusters]

            [clusters.MyCluster]
            protocol = "http"
            load_balancing = "ROUND_ROBIN"
            frontends = [
                { address = "127.0.0.1:{{httpPort}}", hostname = "lolcatho.st", tags = { key = "value" }, path = "/api" },
                { address = "127.0.0.1:{{httpsPort}}", hostname = "lolcatho.st", tags = { key = "value" }, certificate = "{{certificate}}", key = "{{key}}", certificate_chain = "{{chain}}" },
            ]
            backends = [
                { address = "{{http.Address}}", backend_id = "the-backend-to-my-app" }
            ]

            [clusters.TcpTest]
            protocol = "tcp"
            frontends = [
                { address = "127.0.0.1:{{tcpPort}}", tags = { owner = "John", uuid = "3f740af1-45fd-45ce-b61f-17bf1a51505f" } }
            ]
            backends = [
                { address = "{{tcp0.Address}}", weight = 100 },
                { address = "{{tcp1.Address}}", weight = 50 }
            ]
            """);

        var check = host.Cli("config", "check");
        Assert.True(check.ExitCode == 0, check.Stderr);
        await host.StartAsync();

        // HTTP: the /api prefix of lolcatho.st.
        Assert.Equal((200, "the-backend-to-my-app"), await HttpConnection.GetOnceAsync(httpPort, "lolcatho.st", "/api/items"));
        Assert.Equal(404, (await HttpConnection.GetOnceAsync(httpPort, "lolcatho.st", "/other")).Status);

        // HTTPS: each version with a suite of the list; a TLS 1.2 cipher outside it is refused.
        var url = $"https://lolcatho.st:{httpsPort}/";
        var resolve = $"lolcatho.st:{httpsPort}:127.0.0.1";
        async Task<ExternalTool.Result> Curl(params string[] options) =>
            await ExternalTool.RunAsync(curl, ["-sS", "-v", "--cacert", certificate, "--max-time", "15", "--resolve", resolve, .. options, url], CurlLimit);

        var tls13 = await Curl("--tlsv1.3", "--tls13-ciphers", "TLS_CHACHA20_POLY1305_SHA256");
        Assert.True(tls13.ExitCode == 0, tls13.Stderr + host.Output);
        Assert.Equal("the-backend-to-my-app", tls13.Stdout);
        Assert.Contains("SSL connection using TLSv1.3 / TLS_CHACHA20_POLY1305_SHA256", tls13.Stderr, StringComparison.Ordinal);

        var tls12 = await Curl("--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256");
        Assert.True(tls12.ExitCode == 0, tls12.Stderr + host.Output);
        Assert.Equal("the-backend-to-my-app", tls12.Stdout);
        Assert.Contains("SSL connection using TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256", tls12.Stderr, StringComparison.Ordinal);

        var outside = await Curl("--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-SHA256");
        Assert.NotEqual(0, outside.ExitCode);

        // TCP: the implicit tcp listener of TcpTest's frontend pipes to one of its backends.
        var answer = await OneTcpExchangeAsync(tcpPort);
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.True(answer.EndsWith("tcp-0", StringComparison.Ordinal) || answer.EndsWith("tcp-1", StringComparison.Ordinal), answer);
    }

    private static async Task<string> OneTcpExchangeAsync(int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: tcp.test\r\nConnection: close\r\n\r\n"), timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        var text = "";
        // Up to the end of the backend's answer (its body is its name), whether or not it closes.
        while (!text.EndsWith("tcp-0", StringComparison.Ordinal) && !text.EndsWith("tcp-1", StringComparison.Ordinal)
            && received.Length < 65536 && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
            text = Encoding.ASCII.GetString(received.ToArray());
        }
        return text;
    }

    /// <summary>A self-signed RSA certificate for lolcatho.st (the sample's host name), its key, and a chain file holding it.</summary>
    private static (string Certificate, string Key, string Chain) WriteCertificate(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=lolcatho.st", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("lolcatho.st");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var certificatePath = Path.Combine(directory, "certificate.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        var chainPath = Path.Combine(directory, "certificate_chain.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n", Encoding.ASCII);
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem() + "\n", Encoding.ASCII);
        File.WriteAllText(chainPath, certificate.ExportCertificatePem() + "\n", Encoding.ASCII);
        return (certificatePath, keyPath, chainPath);
    }
}
