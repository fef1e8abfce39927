using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Net.Tests.Support;

/// <summary>A self-signed certificate made in the test (RSA-2048 or ECDSA P-256), as PEM for the proxy and as DER for comparisons.</summary>
internal sealed class TestCertificate
{
    private TestCertificate(string certificatePem, string keyPem, byte[] der)
    {
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        Der = der;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(der));
    }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    public byte[] Der { get; }

    public string Fingerprint { get; }

    public CertificateAndKey ForProxy(params string[] names) => new()
    {
        Certificate = CertificatePem,
        Key = KeyPem,
        Names = ValueList<string>.From(names),
    };

    public static TestCertificate Rsa(params string[] dnsNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Create(request, dnsNames, key.ExportPkcs8PrivateKeyPem());
    }

    public static TestCertificate Ecdsa(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        return Create(request, dnsNames, key.ExportPkcs8PrivateKeyPem());
    }

    private static TestCertificate Create(CertificateRequest request, string[] dnsNames, string keyPem)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificate(certificate.ExportCertificatePem(), keyPem, certificate.RawData);
    }
}
