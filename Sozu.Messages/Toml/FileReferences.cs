using System.Security.Cryptography;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.Toml;

/// <summary>
/// Files the configuration points at (answers, certificates, keys), read at load time so that a
/// missing or malformed file is reported at the key that names it, not later by a worker.
/// </summary>
internal static class FileReferences
{
    public static string Resolve(LoadContext context, string path) => Path.GetFullPath(Path.Combine(context.BaseDirectory, path));

    /// <summary>A path key resolved against the file's folder; the file need not exist (a socket, a state to be saved).</summary>
    public static string? ReadPath(TomlSection section, string key)
    {
        var text = section.NonEmptyString(key);
        return text is null ? null : Resolve(section.Context, text);
    }

    public static string? ReadText(TomlSection section, string key)
    {
        var text = section.NonEmptyString(key);
        if (text is null)
        {
            return null;
        }
        var path = Resolve(section.Context, text);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            section.Error(key, $"file not found: {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            section.Error(key, $"cannot read {path}: {e.Message}");
        }
        return null;
    }

    public static string? ReadCertificate(TomlSection section, string key)
    {
        var pem = ReadText(section, key);
        if (pem is not null && CertificateFingerprint.TryCompute(pem) is null)
        {
            section.Error(key, $"{section.String(key)} holds no PEM certificate");
            return null;
        }
        return pem;
    }

    public static string? ReadKey(TomlSection section, string key)
    {
        var pem = ReadText(section, key);
        if (pem is null)
        {
            return null;
        }
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].EndsWith("PRIVATE KEY", StringComparison.Ordinal))
        {
            section.Error(key, $"{section.String(key)} holds no PEM private key");
            return null;
        }
        return pem;
    }

    /// <summary>A chain file holds intermediate certificates one after the other; each becomes its own PEM.</summary>
    public static ValueList<string>? ReadChain(TomlSection section, string key)
    {
        var pem = ReadText(section, key);
        if (pem is null)
        {
            return null;
        }
        var certificates = new List<string>();
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var block = rest[fields.Location].ToString();
            if (rest.Span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                certificates.Add(block + "\n");
            }
            rest = rest[fields.Location.End..];
        }
        if (certificates.Count == 0)
        {
            section.Error(key, $"{section.String(key)} holds no PEM certificate");
            return null;
        }
        return ValueList<string>.From(certificates);
    }

    /// <summary>
    /// Reads certificate, key and chain keys of a listener or frontend; null when there is no
    /// certificate. A certificate without its key (or the reverse) is an error, and so is a key that
    /// does not match the certificate: a worker would refuse them later, far from the cause.
    /// </summary>
    public static CertificateAndKey? ReadCertificateAndKey(TomlSection section, ValueList<TlsVersion> versions)
    {
        var hasCertificate = section.Has("certificate");
        var hasKey = section.Has("key");
        var certificate = ReadCertificate(section, "certificate");
        var key = ReadKey(section, "key");
        var chain = ReadChain(section, "certificate_chain");
        if (hasCertificate != hasKey)
        {
            section.Error(hasCertificate ? "certificate" : "key", hasCertificate ? "a certificate needs its \"key\"" : "a key needs its \"certificate\"");
            return null;
        }
        if (!hasCertificate && section.Has("certificate_chain"))
        {
            section.Error("certificate_chain", "a chain needs a \"certificate\" and its \"key\"");
            return null;
        }
        if (certificate is null || key is null)
        {
            return null;
        }
        try
        {
            using var pair = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            section.Error("key", $"does not match the certificate: {e.Message}");
            return null;
        }
        return new CertificateAndKey
        {
            Certificate = certificate,
            Key = key,
            CertificateChain = chain ?? ValueList<string>.Empty,
            Versions = versions,
        };
    }
}
