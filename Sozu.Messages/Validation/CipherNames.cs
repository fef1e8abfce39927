namespace Sozu.Messages.Validation;

/// <summary>
/// Cipher names of a listener's cipher_list in the three spellings operators bring: OpenSSL's
/// ("ECDHE-RSA-AES128-GCM-SHA256"), IANA's ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") and
/// rustls's ("TLS13_AES_256_GCM_SHA384", as in Sōzu's sample file). Each maps to OpenSSL's name
/// and its version: TLS 1.3 suites go to SSL_CTX_set_ciphersuites, the others to
/// SSL_CTX_set_cipher_list. OpenSSL cipher-string syntax (keywords such as HIGH, and !, -, +, @
/// terms) passes as is, to OpenSSL's own check. The TLS 1.2 table is OpenSSL 3.0's
/// `openssl ciphers -stdname` for ECDHE, DHE and RSA key exchange with AES or ChaCha20.
/// </summary>
public static class CipherNames
{
    /// <summary>TLS 1.3 suites by every accepted spelling → OpenSSL's (IANA's) name.</summary>
    private static readonly Dictionary<string, string> Tls13 = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TLS_AES_128_GCM_SHA256"] = "TLS_AES_128_GCM_SHA256",
        ["TLS_AES_256_GCM_SHA384"] = "TLS_AES_256_GCM_SHA384",
        ["TLS_CHACHA20_POLY1305_SHA256"] = "TLS_CHACHA20_POLY1305_SHA256",
        ["TLS_AES_128_CCM_SHA256"] = "TLS_AES_128_CCM_SHA256",
        ["TLS_AES_128_CCM_8_SHA256"] = "TLS_AES_128_CCM_8_SHA256",
        ["TLS13_AES_128_GCM_SHA256"] = "TLS_AES_128_GCM_SHA256",
        ["TLS13_AES_256_GCM_SHA384"] = "TLS_AES_256_GCM_SHA384",
        ["TLS13_CHACHA20_POLY1305_SHA256"] = "TLS_CHACHA20_POLY1305_SHA256",
    };

    /// <summary>TLS 1.2 ciphers, IANA name → OpenSSL name (the OpenSSL names are accepted too).</summary>
    private static readonly Dictionary<string, string> Tls12 = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"] = "ECDHE-ECDSA-AES256-GCM-SHA384",
        ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"] = "ECDHE-RSA-AES256-GCM-SHA384",
        ["TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"] = "DHE-DSS-AES256-GCM-SHA384",
        ["TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"] = "DHE-RSA-AES256-GCM-SHA384",
        ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"] = "ECDHE-ECDSA-CHACHA20-POLY1305",
        ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"] = "ECDHE-RSA-CHACHA20-POLY1305",
        ["TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"] = "DHE-RSA-CHACHA20-POLY1305",
        ["TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"] = "ECDHE-ECDSA-AES256-CCM8",
        ["TLS_ECDHE_ECDSA_WITH_AES_256_CCM"] = "ECDHE-ECDSA-AES256-CCM",
        ["TLS_DHE_RSA_WITH_AES_256_CCM_8"] = "DHE-RSA-AES256-CCM8",
        ["TLS_DHE_RSA_WITH_AES_256_CCM"] = "DHE-RSA-AES256-CCM",
        ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] = "ECDHE-ECDSA-AES128-GCM-SHA256",
        ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] = "ECDHE-RSA-AES128-GCM-SHA256",
        ["TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"] = "DHE-DSS-AES128-GCM-SHA256",
        ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"] = "DHE-RSA-AES128-GCM-SHA256",
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"] = "ECDHE-ECDSA-AES128-CCM8",
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CCM"] = "ECDHE-ECDSA-AES128-CCM",
        ["TLS_DHE_RSA_WITH_AES_128_CCM_8"] = "DHE-RSA-AES128-CCM8",
        ["TLS_DHE_RSA_WITH_AES_128_CCM"] = "DHE-RSA-AES128-CCM",
        ["TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"] = "ECDHE-ECDSA-AES256-SHA384",
        ["TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"] = "ECDHE-RSA-AES256-SHA384",
        ["TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"] = "DHE-RSA-AES256-SHA256",
        ["TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"] = "DHE-DSS-AES256-SHA256",
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"] = "ECDHE-ECDSA-AES128-SHA256",
        ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"] = "ECDHE-RSA-AES128-SHA256",
        ["TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"] = "DHE-RSA-AES128-SHA256",
        ["TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"] = "DHE-DSS-AES128-SHA256",
        ["TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"] = "ECDHE-ECDSA-AES256-SHA",
        ["TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"] = "ECDHE-RSA-AES256-SHA",
        ["TLS_DHE_RSA_WITH_AES_256_CBC_SHA"] = "DHE-RSA-AES256-SHA",
        ["TLS_DHE_DSS_WITH_AES_256_CBC_SHA"] = "DHE-DSS-AES256-SHA",
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"] = "ECDHE-ECDSA-AES128-SHA",
        ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"] = "ECDHE-RSA-AES128-SHA",
        ["TLS_DHE_RSA_WITH_AES_128_CBC_SHA"] = "DHE-RSA-AES128-SHA",
        ["TLS_DHE_DSS_WITH_AES_128_CBC_SHA"] = "DHE-DSS-AES128-SHA",
        ["TLS_RSA_WITH_AES_256_GCM_SHA384"] = "AES256-GCM-SHA384",
        ["TLS_RSA_WITH_AES_256_CCM_8"] = "AES256-CCM8",
        ["TLS_RSA_WITH_AES_256_CCM"] = "AES256-CCM",
        ["TLS_RSA_WITH_AES_128_GCM_SHA256"] = "AES128-GCM-SHA256",
        ["TLS_RSA_WITH_AES_128_CCM_8"] = "AES128-CCM8",
        ["TLS_RSA_WITH_AES_128_CCM"] = "AES128-CCM",
        ["TLS_RSA_WITH_AES_256_CBC_SHA256"] = "AES256-SHA256",
        ["TLS_RSA_WITH_AES_128_CBC_SHA256"] = "AES128-SHA256",
        ["TLS_RSA_WITH_AES_256_CBC_SHA"] = "AES256-SHA",
        ["TLS_RSA_WITH_AES_128_CBC_SHA"] = "AES128-SHA",
    };

    private static readonly HashSet<string> OpenSsl12 = new(Tls12.Values, StringComparer.OrdinalIgnoreCase);

    /// <summary>OpenSSL cipher-string keywords accepted as they are (OpenSSL decides what they select).</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "DEFAULT", "COMPLEMENTOFDEFAULT", "ALL", "COMPLEMENTOFALL", "HIGH", "MEDIUM", "LOW",
        "aNULL", "eNULL", "NULL", "kRSA", "aRSA", "RSA", "kEDH", "kDHE", "EDH", "DHE", "kEECDH",
        "kECDHE", "EECDH", "ECDHE", "ECDH", "aECDSA", "ECDSA", "AES", "AES128", "AES256", "AESGCM",
        "AESCCM", "CHACHA20", "SHA1", "SHA", "SHA256", "SHA384", "TLSv1.2", "SUITEB128", "SUITEB192",
        "MD5", "RC4", "DES", "3DES", "PSK", "SRP", "EXPORT", "CBC",
    };

    /// <summary>OpenSSL's name of <paramref name="name"/> and whether it is a TLS 1.3 suite; false for a name no table knows.</summary>
    public static bool TryMap(string name, out string openSsl, out bool tls13)
    {
        ArgumentNullException.ThrowIfNull(name);
        tls13 = false;
        if (Tls13.TryGetValue(name, out var suite))
        {
            openSsl = suite;
            tls13 = true;
            return true;
        }
        if (Tls12.TryGetValue(name, out var cipher))
        {
            openSsl = cipher;
            return true;
        }
        if (OpenSsl12.TryGetValue(name, out var known) || IsCipherStringTerm(name))
        {
            openSsl = known ?? name;
            return true;
        }
        openSsl = name;
        return false;
    }

    /// <summary>The error for an entry of cipher_list (itself possibly a colon-separated list), or null when every name is known.</summary>
    public static string? Check(string field, string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var name in entry.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryMap(name, out _, out _))
            {
                return $"{field}: unknown cipher '{name}'; expected an OpenSSL name (ECDHE-RSA-AES128-GCM-SHA256), an IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256) or rustls's (TLS13_AES_128_GCM_SHA256)";
            }
        }
        return null;
    }

    /// <summary>"!aNULL", "-SHA1", "+AES", "@STRENGTH", "ECDHE+AESGCM", "HIGH", "DEFAULT@SECLEVEL=2".</summary>
    private static bool IsCipherStringTerm(string name)
    {
        if (name.Length > 1 && name[0] is '!' or '-' or '+')
        {
            return IsCipherStringTerm(name[1..]);
        }
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at == 0)
        {
            return name is "@STRENGTH" || name.StartsWith("@SECLEVEL=", StringComparison.Ordinal);
        }
        if (at > 0)
        {
            // "DEFAULT@SECLEVEL=0": a term and a command.
            return IsCipherStringTerm(name[..at]) && IsCipherStringTerm(name[at..]);
        }
        foreach (var part in name.Split('+'))
        {
            if (!Keywords.Contains(part) && !OpenSsl12.Contains(part))
            {
                return false;
            }
        }
        return true;
    }
}
