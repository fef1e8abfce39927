using Sozu.Messages.Collections;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>
/// A certificate served by a listener: its identity, the names it answers for, the TLS
/// versions it allows (its own <c>versions</c>; the listener's still bound them), and its SSL_CTX.
/// </summary>
internal sealed class TlsCertificate(string fingerprint, ValueList<string> names, TlsVersionRange versions, SslContextHandle context) : IDisposable
{
    public string Fingerprint { get; } = fingerprint;

    public ValueList<string> Names { get; } = names;

    /// <summary><see cref="TlsVersionRange.All"/> when the certificate sets no versions of its own.</summary>
    public TlsVersionRange Versions { get; } = versions;

    public SslContextHandle Context { get; } = context;

    /// <summary>Drops our reference; connections that use the context keep it alive.</summary>
    public void Dispose() => Context.Dispose();
}
