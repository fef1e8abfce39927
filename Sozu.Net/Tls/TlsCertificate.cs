using Sozu.Messages.Collections;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>A certificate served by a listener: its identity, the names it answers for, and its SSL_CTX.</summary>
internal sealed class TlsCertificate(string fingerprint, ValueList<string> names, SslContextHandle context) : IDisposable
{
    public string Fingerprint { get; } = fingerprint;

    public ValueList<string> Names { get; } = names;

    public SslContextHandle Context { get; } = context;

    /// <summary>Drops our reference; connections that use the context keep it alive.</summary>
    public void Dispose() => Context.Dispose();
}
