using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sozu.Messages.Config;
using Xunit;

namespace Sozu.Messages.Tests.State;

/// <summary>Self-signed ECDSA certificates made once per test run and shared, since key generation is the slow part.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<CertificateAndKey[]> All = new(() =>
    [
        Make("a.example.com", "a.example.com", "*.a.example.com"),
        Make("b.example.com", "b.example.com"),
        Make("Test Authority", "c.example.com", "d.example.com"),
    ]);

    /// <summary>CN a.example.com, SANs a.example.com and *.a.example.com.</summary>
    public static CertificateAndKey A => All.Value[0];

    public static CertificateAndKey B => All.Value[1];

    /// <summary>A CN that is not a hostname, names only in the SANs.</summary>
    public static CertificateAndKey C => All.Value[2];

    public static IReadOnlyList<CertificateAndKey> List => All.Value;

    public static string FingerprintOf(CertificateAndKey certificate) => CertificateFingerprint.TryCompute(certificate.Certificate)!;

    private static CertificateAndKey Make(string commonName, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return new CertificateAndKey
        {
            Certificate = certificate.ExportCertificatePem(),
            Key = key.ExportPkcs8PrivateKeyPem(),
        };
    }
}
