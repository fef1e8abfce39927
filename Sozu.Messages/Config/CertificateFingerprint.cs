using System.Security.Cryptography;

namespace Sozu.Messages.Config;

/// <summary>The identity of a certificate on the wire: lowercase hex SHA-256 of its DER.</summary>
public static class CertificateFingerprint
{
    /// <summary>Returns null when the text holds no PEM certificate.</summary>
    public static string? TryCompute(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            return null;
        }
        var label = pem.AsSpan()[fields.Label];
        if (!label.SequenceEqual("CERTIFICATE"))
        {
            return null;
        }
        var base64 = pem.AsSpan()[fields.Base64Data];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(base64, der, out var written))
        {
            return null;
        }
        return Convert.ToHexStringLower(SHA256.HashData(der.AsSpan(0, written)));
    }
}
