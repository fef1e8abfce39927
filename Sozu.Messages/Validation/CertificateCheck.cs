using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.Validation;

/// <summary>A certificate that parsed, whose key matches, with its identity and the names it serves.</summary>
public sealed record CheckedCertificate(string Fingerprint, CertificateAndKey Resolved);

public static class CertificateCheck
{
    /// <summary>
    /// Parses the PEM certificate, its chain and key, checks the key belongs to the certificate,
    /// and returns it with <see cref="CertificateAndKey.Names"/> filled from the CN and DNS SANs
    /// when none were given, so the state stores what the TLS resolver will serve.
    /// </summary>
    public static (CheckedCertificate? Certificate, string? Error) Check(CertificateAndKey? certificate)
    {
        if (certificate is null)
        {
            return (null, "certificate must not be null");
        }
        if (string.IsNullOrEmpty(certificate.Certificate) || string.IsNullOrEmpty(certificate.Key))
        {
            return (null, "certificate and key must both be given as PEM");
        }
        if (certificate.CertificateChain is null || certificate.Names is null || certificate.Versions is null)
        {
            return (null, "certificate_chain, names and versions must not be null");
        }
        var fingerprint = CertificateFingerprint.TryCompute(certificate.Certificate);
        if (fingerprint is null)
        {
            return (null, "certificate holds no PEM CERTIFICATE block");
        }
        foreach (var version in certificate.Versions)
        {
            if (Fields.Defined("versions", version) is { } versionError)
            {
                return (null, versionError);
            }
        }
        for (var i = 0; i < certificate.CertificateChain.Count; i++)
        {
            if (ChainError(certificate.CertificateChain[i]) is { } chainError)
            {
                return (null, $"certificate_chain[{i}] {chainError}");
            }
        }
        ValueList<string> names;
        try
        {
            using var parsed = X509Certificate2.CreateFromPem(certificate.Certificate, certificate.Key);
            names = certificate.Names.Count > 0 ? certificate.Names : NamesOf(parsed);
        }
        catch (CryptographicException e)
        {
            return (null, $"certificate {fingerprint} or its key does not parse: {e.Message}");
        }
        catch (ArgumentException)
        {
            // CreateFromPem reports a well-formed key of another certificate this way.
            return (null, $"certificate {fingerprint}: the key does not match the certificate");
        }
        if (names.Count == 0)
        {
            return (null, $"certificate {fingerprint} has no DNS name in its CN or SANs; give names explicitly");
        }
        foreach (var name in names)
        {
            if (Hostname.Check("names", name) is { } nameError)
            {
                return (null, nameError);
            }
        }
        return (new CheckedCertificate(fingerprint, certificate with { Names = names }), null);
    }

    private static string? ChainError(string? pem)
    {
        if (string.IsNullOrEmpty(pem))
        {
            return "is empty";
        }
        try
        {
            using var _ = X509Certificate2.CreateFromPem(pem);
            return null;
        }
        catch (CryptographicException e)
        {
            return $"does not parse as a PEM certificate: {e.Message}";
        }
    }

    private static ValueList<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new List<string>();
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        // A CN is often a display name ("My CA"): only one that is a hostname is served.
        if (!string.IsNullOrEmpty(commonName) && Hostname.Check("cn", commonName) is null)
        {
            names.Add(commonName);
        }
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var dnsName in san.EnumerateDnsNames())
                {
                    if (!names.Contains(dnsName, StringComparer.OrdinalIgnoreCase))
                    {
                        names.Add(dnsName);
                    }
                }
            }
        }
        return ValueList<string>.From(names);
    }
}
