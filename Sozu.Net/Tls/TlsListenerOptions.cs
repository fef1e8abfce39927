using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Validation;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>
/// An HTTPS listener's TLS settings, checked and turned into what OpenSSL takes. Defaults are
/// the safe ones: TLS 1.2 and 1.3; for 1.2 only ECDHE key exchange with AES-GCM or
/// ChaCha20-Poly1305 (forward secrecy, AEAD, no CBC, no RSA key exchange); for 1.3 OpenSSL's
/// default suites (all AEAD); ALPN "http/1.1".
/// </summary>
internal sealed class TlsListenerOptions
{
    public const string DefaultCipherList =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

    /// <summary>The protocols the data plane can serve after ALPN; others are accepted in configuration but not offered.</summary>
    private static readonly string[] Served = ["http/1.1", "http/1.0"];

    private TlsListenerOptions(TlsVersionRange versions, string cipherList, string? cipherSuites, byte[] alpn)
    {
        Versions = versions;
        CipherList = cipherList;
        CipherSuites = cipherSuites;
        AlpnWire = alpn;
    }

    public TlsVersionRange Versions { get; }

    /// <summary>TLS 1.2 ciphers, OpenSSL syntax.</summary>
    public string CipherList { get; }

    /// <summary>TLS 1.3 suites ("TLS_AES_128_GCM_SHA256:…"); null keeps OpenSSL's default.</summary>
    public string? CipherSuites { get; }

    /// <summary>The server's ALPN list in wire format (length-prefixed names), in preference order.</summary>
    public byte[] AlpnWire { get; }

    /// <summary>
    /// cipher_list names in OpenSSL, IANA or rustls form (<see cref="CipherNames"/>), each turned
    /// into OpenSSL's name: TLS 1.3 suites set the 1.3 suites, the others the 1.2 list; an entry
    /// may itself be a colon-separated list.
    /// </summary>
    public static bool TryCreate(HttpsListenerConfig config, out TlsListenerOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(config);
        options = null!;
        if (!TlsVersionRange.TryCreate(config.Versions, out var versions, out error))
        {
            return false;
        }
        var ciphers = new List<string>();
        var suites = new List<string>();
        foreach (var entry in config.CipherList)
        {
            foreach (var name in (entry ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!CipherNames.TryMap(name, out var openSsl, out var tls13))
                {
                    error = CipherNames.Check("cipher_list", name)!;
                    return false;
                }
                (tls13 ? suites : ciphers).Add(openSsl);
            }
        }
        var alpn = new MemoryStream();
        var protocols = config.AlpnProtocols.Count == 0 ? ["http/1.1"] : config.AlpnProtocols.ToArray();
        foreach (var protocol in protocols)
        {
            if (string.IsNullOrEmpty(protocol) || protocol.Length > 255 || !Ascii.IsValid(protocol))
            {
                error = $"alpn_protocols: '{protocol}' is not a protocol name (1 to 255 ASCII characters)";
                return false;
            }
            if (Array.IndexOf(Served, protocol) >= 0)
            {
                alpn.WriteByte((byte)protocol.Length);
                alpn.Write(Encoding.ASCII.GetBytes(protocol));
            }
        }
        options = new TlsListenerOptions(
            versions,
            ciphers.Count == 0 ? DefaultCipherList : string.Join(':', ciphers),
            suites.Count == 0 ? null : string.Join(':', suites),
            alpn.ToArray());
        error = "";
        return true;
    }
}
