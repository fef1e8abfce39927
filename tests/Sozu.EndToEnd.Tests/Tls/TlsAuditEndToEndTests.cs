using System.Text.Json;
using Sozu.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Tls;

/// <summary>
/// The real `sozu start` with an HTTPS listener in its configuration file and a generated
/// RSA-2048 certificate, audited from outside by the tools an operator would use: curl and
/// testssl.sh (both installed by scripts/setup.sh). Nothing in the configuration chooses
/// versions or ciphers: what is checked is the default.
/// </summary>
public sealed class TlsAuditEndToEndTests(ITestOutputHelper output)
{
    /// <summary>testssl.sh takes about 40 s here (protocols, cipher categories, vulnerabilities); 3 minutes leaves room on a loaded machine and stays under the test runner's 5-minute hang limit.</summary>
    private static readonly TimeSpan TestsslLimit = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan CurlLimit = TimeSpan.FromSeconds(20);

    /// <summary>Findings testssl.sh grades MEDIUM or worse; FATAL means the scan itself failed.</summary>
    private static readonly string[] Failing = ["MEDIUM", "HIGH", "CRITICAL", "FATAL"];

    [Fact(Timeout = 280_000)]
    public async Task CurlAndTestssl_FindNoWeakProtocolOrCipher_OnTheDefaultHttpsListener()
    {
        var curl = ExternalTool.Find("/usr/bin/curl") ?? throw new InvalidOperationException("curl is not installed: run scripts/setup.sh");
        var testssl = ExternalTool.Find("/usr/bin/testssl", "/usr/bin/testssl.sh")
            ?? throw new InvalidOperationException("testssl.sh is not installed: run scripts/setup.sh (Debian package testssl.sh)");
        using var backend = new TestBackend("audited");
        using var host = new SozuHost();
        var port = FreePort.Tcp();
        var (certificate, key) = TestCertificate.Write(host.Directory);
        host.WriteConfig($$"""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:{{port}}"
            certificate = "{{certificate}}"
            key = "{{key}}"

            [clusters.app]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:{{port}}", hostname = "localhost" } ]
            backends = [ { address = "{{backend.Address}}", backend_id = "app-0" } ]
            """);
        await host.StartAsync();

        var url = $"https://localhost:{port}/";
        var resolve = $"localhost:{port}:127.0.0.1";
        async Task<ExternalTool.Result> Curl(params string[] options) =>
            await ExternalTool.RunAsync(curl, ["-sS", "-v", "-k", "--max-time", "15", "--resolve", resolve, .. options, url], CurlLimit);

        foreach (var version in new[] { "1.2", "1.3" })
        {
            var served = await Curl($"--tlsv{version}", "--tls-max", version);
            Assert.True(served.ExitCode == 0, $"TLS {version}: curl exit {served.ExitCode}\n{served.Stderr}\n{host.Output}");
            Assert.Equal("audited", served.Stdout);
            Assert.Contains($"SSL connection using TLSv{version} /", served.Stderr, StringComparison.Ordinal);
        }
        foreach (var version in new[] { "1.0", "1.1" })
        {
            // SECLEVEL=0 lets curl's OpenSSL offer the old version, so only the proxy can refuse it.
            var refused = await Curl($"--tlsv{version}", "--tls-max", version, "--ciphers", "DEFAULT@SECLEVEL=0");
            Assert.True(refused.ExitCode != 0, $"TLS {version} was served:\n{refused.Stderr}");
            Assert.Contains("alert protocol version", refused.Stderr, StringComparison.Ordinal);
        }
        // CBC suites only (ECDHE and plain RSA key exchange, SHA-1 and SHA-256 MACs), offered over 1.2.
        var cbc = await Curl("--tlsv1.2", "--tls-max", "1.2", "--ciphers",
            "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:AES128-SHA:AES256-SHA:AES128-SHA256:AES256-SHA256");
        Assert.True(cbc.ExitCode != 0, $"a CBC-only client was served:\n{cbc.Stderr}");
        Assert.Contains("alert handshake failure", cbc.Stderr, StringComparison.Ordinal);

        var json = Path.Combine(host.Directory, "testssl.json");
        var scan = await ExternalTool.RunAsync(testssl,
            ["--quiet", "--color", "0", "--warnings", "batch", "--nodns", "none", "--ip", "127.0.0.1",
             "--connect-timeout", "10", "--openssl-timeout", "10",
             "--protocols", "--std", "--vulnerable", "--jsonfile", json, $"localhost:{port}"],
            TestsslLimit, host.Directory);
        output.WriteLine(scan.Stdout);
        Assert.True(File.Exists(json), $"testssl.sh wrote no JSON (exit {scan.ExitCode}):\n{scan.Output}");
        var findings = ReadFindings(json);
        var listing = string.Join('\n', findings.Select(f => $"{f.Severity,-8} {f.Id}: {f.Finding}"));

        var bad = findings.Where(f => Failing.Contains(f.Severity, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(bad.Count == 0, $"testssl.sh graded {bad.Count} finding(s) MEDIUM or worse:\n{string.Join('\n', bad.Select(f => $"{f.Severity} {f.Id}: {f.Finding}"))}\n\nall findings:\n{listing}");
        // testssl.sh grades an offered TLS 1.0/1.1 or CBC suite only LOW: those are asserted by name.
        string Finding(string id) => findings.FirstOrDefault(f => f.Id == id)?.Finding
            ?? throw new Xunit.Sdk.XunitException($"testssl.sh reported no '{id}'; it found:\n{listing}");
        foreach (var id in new[] { "SSLv2", "SSLv3", "TLS1", "TLS1_1", "cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW", "cipherlist_3DES_IDEA", "cipherlist_AVERAGE" })
        {
            Assert.True(Finding(id).StartsWith("not offered", StringComparison.Ordinal), $"{id}: {Finding(id)}\n\nall findings:\n{listing}");
        }
        foreach (var id in new[] { "TLS1_2", "TLS1_3", "cipherlist_STRONG" })
        {
            Assert.True(Finding(id).StartsWith("offered", StringComparison.Ordinal), $"{id}: {Finding(id)}\n\nall findings:\n{listing}");
        }
        foreach (var id in new[] { "heartbleed", "CCS", "ROBOT", "secure_client_renego", "CRIME_TLS", "SWEET32", "FREAK", "LOGJAM", "BEAST", "LUCKY13", "RC4" })
        {
            Assert.True(findings.Any(f => f.Id == id && f.Severity == "OK"), $"{id} is not graded OK: {Finding(id)}\n\nall findings:\n{listing}");
        }
    }

    private sealed record TestsslFinding(string Id, string Severity, string Finding);

    private static List<TestsslFinding> ReadFindings(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var findings = new List<TestsslFinding>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            findings.Add(new TestsslFinding(
                item.GetProperty("id").GetString() ?? "",
                item.GetProperty("severity").GetString() ?? "",
                item.GetProperty("finding").GetString() ?? ""));
        }
        return findings;
    }
}
