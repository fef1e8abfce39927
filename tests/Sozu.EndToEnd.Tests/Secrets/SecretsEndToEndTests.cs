using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Secrets;

/// <summary>
/// Private keys through the real `sozu start` at log_level debug (every request a worker applies
/// is logged): no key in any log line of the supervisor or a worker, in an error answer, or in a
/// query_certificates answer; save_state writes them into a file only its owner can read.
/// </summary>
public sealed class SecretsEndToEndTests
{
    [Fact(Timeout = 180_000)]
    public async Task PrivateKeys_NeverLogged_NorAnswered_AndTheSavedStateIsOwnerOnly()
    {
        using var host = new SozuHost { ExtraGlobal = "" };
        var port = FreePort.Tcp();
        var (certificatePath, keyPath) = TestCertificate.Write(host.Directory);
        host.WriteConfig($$"""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:{{port}}"
            certificate = "{{certificatePath}}"
            key = "{{keyPath}}"
            """);
        File.WriteAllText(host.ConfigPath, File.ReadAllText(host.ConfigPath).Replace("log_level = \"info\"", "log_level = \"debug\"", StringComparison.Ordinal));
        await host.StartAsync();
        var address = $"127.0.0.1:{port}";
        var other = Make("other.localhost");
        var stranger = Make("stranger.localhost");

        var added = await host.ExecuteAsync(new AddCertificate(address, other));
        Assert.True(added.Status == AnswerStatus.Ok, added.Message);
        // A key that does not match its certificate: refused, and the refusal does not quote it.
        var mismatched = await host.ExecuteAsync(new AddCertificate(address, stranger with { Key = other.Key }));
        Assert.Equal(AnswerStatus.Error, mismatched.Status);
        AssertNoKey(other.Key, mismatched.Message);
        var garbled = await host.ExecuteAsync(new AddCertificate(address, stranger with { Key = stranger.Key.Replace("A", "*", StringComparison.Ordinal) }));
        Assert.Equal(AnswerStatus.Error, garbled.Status);
        AssertNoKey(stranger.Key.Replace("A", "*", StringComparison.Ordinal), garbled.Message);

        var query = await host.RawAsync("""{"id":"q","type":"query_certificates","data":{}}""");
        Assert.Contains("\"status\":\"ok\"", query[^1], StringComparison.Ordinal);
        Assert.Contains("other.localhost", query[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", query[^1], StringComparison.Ordinal);

        var saved = Path.Combine(host.Directory, "state.json");
        var save = await host.ExecuteAsync(new SaveState(saved));
        Assert.True(save.Status == AnswerStatus.Ok, save.Message);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        Assert.Contains("PRIVATE KEY", File.ReadAllText(saved), StringComparison.Ordinal); // it does hold them: hence 0600

        host.Stop();
        var output = host.Output;
        // The worker logged the request it applied: the line a key would have leaked through.
        Assert.Contains("add_certificate applied", output, StringComparison.Ordinal);
        AssertNoKey(other.Key, output);
        AssertNoKey(stranger.Key, output);
        AssertNoKey(File.ReadAllText(keyPath), output);
    }

    private static CertificateAndKey Make(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new CertificateAndKey { Certificate = certificate.ExportCertificatePem(), Key = key.ExportPkcs8PrivateKeyPem() };
    }

    /// <summary>No line of the key's base64 body appears in <paramref name="text"/>.</summary>
    private static void AssertNoKey(string key, string text)
    {
        foreach (var line in key.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("-----", StringComparison.Ordinal))
            {
                Assert.DoesNotContain(line, text, StringComparison.Ordinal);
            }
        }
    }
}
