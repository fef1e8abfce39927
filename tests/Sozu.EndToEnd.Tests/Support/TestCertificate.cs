using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>A self-signed RSA-2048 certificate for "localhost", written as PEM files for a configuration.</summary>
internal static class TestCertificate
{
    /// <returns>The paths of the certificate and of its private key (PKCS#8).</returns>
    public static (string Certificate, string Key) Write(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var certificatePath = Path.Combine(directory, "certificate.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n", Encoding.ASCII);
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem() + "\n", Encoding.ASCII);
        return (certificatePath, keyPath);
    }
}
