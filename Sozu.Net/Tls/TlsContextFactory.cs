using System.Text;
using Sozu.Messages.Config;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>
/// Builds SSL_CTX objects: the listener's own context (protocol settings, SNI callback, ticket
/// keys; every connection starts on it) and one context per certificate (the SNI callback
/// switches a connection to it). Configuration path only; failures come back as text naming
/// the problem, with OpenSSL's reason.
/// </summary>
internal static unsafe class TlsContextFactory
{
    public static SslContextHandle? CreateListenerContext(TlsListenerOptions options, long registryId, out string error)
    {
        var context = CreateBase(options, registryId, out error);
        if (context is null)
        {
            return null;
        }
        delegate* unmanaged[Cdecl]<nint, int*, nint, int> onServerName = &TlsCallbacks.OnServerName;
        LibSsl.SslCtxCallbackCtrl(context, LibSsl.CtrlSetServerNameCallback, (nint)onServerName);
        LibSsl.SslCtxCtrl(context, LibSsl.CtrlSetServerNameArg, 0, (void*)registryId);
        // Connections start on this context, so its ClientHello callback is the one OpenSSL
        // calls, before it picks the version: there a certificate's own versions apply.
        delegate* unmanaged[Cdecl]<nint, int*, nint, int> onClientHello = &TlsCallbacks.OnClientHello;
        LibSsl.SslCtxSetClientHelloCb(context, (nint)onClientHello, (nint)registryId);
        // Tickets are sealed with the keys of the context a connection starts on (OpenSSL asks
        // its session context, which SNI does not change): the worker's keyring, which the
        // supervisor shares with every worker, so a ticket opens whichever worker accepts.
        delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint, nint, int, int> onTicketKey = &TlsCallbacks.OnTicketKey;
        if (LibSsl.SslCtxSetTlsextTicketKeyEvpCb(context, (nint)onTicketKey) != 1)
        {
            error = OpenSslError.Take("cannot set the session ticket callback");
            context.Dispose();
            return null;
        }
        return context;
    }

    /// <summary>A context serving one certificate (with its chain and key), or null with the reason.</summary>
    public static SslContextHandle? CreateCertificateContext(TlsListenerOptions options, long registryId, CertificateAndKey certificate, out string error)
    {
        var context = CreateBase(options, registryId, out error);
        if (context is null)
        {
            return null;
        }
        if (!TryUseCertificate(context, certificate, out error))
        {
            context.Dispose();
            return null;
        }
        return context;
    }

    private static SslContextHandle? CreateBase(TlsListenerOptions options, long registryId, out string error)
    {
        OpenSslError.Clear();
        var context = LibSsl.SslCtxNew(LibSsl.TlsServerMethod());
        if (context.IsInvalid)
        {
            error = OpenSslError.Take("SSL_CTX_new failed");
            context.Dispose();
            return null;
        }
        // 3× less memory per idle connection (measured: 48.8 → 16.2 KiB).
        LibSsl.SslCtxCtrl(context, LibSsl.CtrlMode, LibSsl.ModeReleaseBuffers, null);
        // Stateless tickets resume sessions; a server-side cache would only cost memory per worker.
        LibSsl.SslCtxCtrl(context, LibSsl.CtrlSetSessionCacheMode, LibSsl.SessionCacheOff, null);
        LibSsl.SslCtxSetOptions(context, LibSsl.OptionNoRenegotiation | LibSsl.OptionCipherServerPreference | LibSsl.OptionNoCompression);
        LibSsl.SslCtxCtrl(context, LibSsl.CtrlSetMinProtoVersion, options.Versions.Min, null);
        LibSsl.SslCtxCtrl(context, LibSsl.CtrlSetMaxProtoVersion, options.Versions.Max, null);
        if (!SetCiphers(context, options, out error))
        {
            context.Dispose();
            return null;
        }
        // After SNI switches a connection to another context, OpenSSL asks that context's ALPN
        // callback: every context gets it, or ALPN silently disappears for SNI names.
        delegate* unmanaged[Cdecl]<nint, byte**, byte*, byte*, uint, nint, int> onAlpn = &TlsCallbacks.OnAlpn;
        LibSsl.SslCtxSetAlpnSelectCb(context, (nint)onAlpn, (nint)registryId);
        error = "";
        return context;
    }

    private static bool SetCiphers(SslContextHandle context, TlsListenerOptions options, out string error)
    {
        var list = Encoding.ASCII.GetBytes(options.CipherList + "\0");
        fixed (byte* raw = list)
        {
            // TLS 1.3 only: the 1.2 list does not matter, but a bad one is still an error.
            if (LibSsl.SslCtxSetCipherList(context, raw) != 1)
            {
                error = $"cipher_list '{options.CipherList}' selects no cipher: {OpenSslError.Take("rejected")}";
                return false;
            }
        }
        if (options.CipherSuites is { } suites)
        {
            var bytes = Encoding.ASCII.GetBytes(suites + "\0");
            fixed (byte* raw = bytes)
            {
                if (LibSsl.SslCtxSetCiphersuites(context, raw) != 1)
                {
                    error = $"cipher_list TLS 1.3 suites '{suites}' are not valid: {OpenSslError.Take("rejected")}";
                    return false;
                }
            }
        }
        error = "";
        return true;
    }

    private static bool TryUseCertificate(SslContextHandle context, CertificateAndKey certificate, out string error)
    {
        var leaf = ReadCertificate(certificate.Certificate, "certificate", out error);
        if (leaf == 0)
        {
            return false;
        }
        try
        {
            if (LibSsl.SslCtxUseCertificate(context, leaf) != 1)
            {
                error = $"certificate is not usable: {OpenSslError.Take("SSL_CTX_use_certificate failed")}";
                return false;
            }
        }
        finally
        {
            // SSL_CTX_use_certificate took its own reference.
            LibCrypto.X509Free(leaf);
        }
        for (var i = 0; i < certificate.CertificateChain.Count; i++)
        {
            var link = ReadCertificate(certificate.CertificateChain[i], $"certificate_chain[{i}]", out error);
            if (link == 0)
            {
                return false;
            }
            try
            {
                // SSL_CTX_add1_chain_cert: larg 1 takes a reference of its own.
                if (LibSsl.SslCtxCtrl(context, LibSsl.CtrlChainCertificate, 1, (void*)link) != 1)
                {
                    error = $"certificate_chain[{i}] is not usable: {OpenSslError.Take("rejected")}";
                    return false;
                }
            }
            finally
            {
                LibCrypto.X509Free(link);
            }
        }
        if (certificate.Key.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            // OpenSSL would ask for a passphrase on the terminal, from the loop thread.
            error = "key is encrypted; give the private key unencrypted (PKCS#8, RSA or EC PEM)";
            return false;
        }
        var key = ReadPem(certificate.Key, isKey: true);
        if (key == 0)
        {
            error = $"key does not parse as a PEM private key (RSA or EC): {OpenSslError.Take("no key found")}";
            return false;
        }
        try
        {
            if (LibSsl.SslCtxUsePrivateKey(context, key) != 1 || LibSsl.SslCtxCheckPrivateKey(context) != 1)
            {
                error = $"the key does not match the certificate: {OpenSslError.Take("mismatch")}";
                return false;
            }
        }
        finally
        {
            LibCrypto.EvpPkeyFree(key);
        }
        error = "";
        return true;
    }

    private static nint ReadCertificate(string pem, string field, out string error)
    {
        var x509 = ReadPem(pem, isKey: false);
        error = x509 == 0 ? $"{field} does not parse as a PEM certificate: {OpenSslError.Take("no certificate found")}" : "";
        return x509;
    }

    private static nint ReadPem(string? pem, bool isKey)
    {
        OpenSslError.Clear();
        if (string.IsNullOrEmpty(pem))
        {
            return 0;
        }
        var bytes = Encoding.ASCII.GetBytes(pem);
        fixed (byte* raw = bytes)
        {
            // A read-only BIO over our bytes: no copy, freed before the bytes are unpinned.
            var bio = LibCrypto.BioNewMemBuf(raw, bytes.Length);
            if (bio == 0)
            {
                return 0;
            }
            try
            {
                return isKey ? LibCrypto.PemReadBioPrivateKey(bio, 0, 0, 0) : LibCrypto.PemReadBioX509(bio, 0, 0, 0);
            }
            finally
            {
                _ = LibCrypto.BioFree(bio);
            }
        }
    }
}
