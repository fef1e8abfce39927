using Sozu.Messages.Collections;

namespace Sozu.Messages.Config;

/// <summary>A certificate with its chain and private key, all PEM.</summary>
public sealed record CertificateAndKey : ISozuMessage
{
    public required string Certificate { get; init; }

    public ValueList<string> CertificateChain { get; init; } = ValueList<string>.Empty;

    public required string Key { get; init; }

    /// <summary>The names it serves; empty means the certificate's CN and SANs.</summary>
    public ValueList<string> Names { get; init; } = ValueList<string>.Empty;

    public ValueList<TlsVersion> Versions { get; init; } = ValueList<TlsVersion>.Empty;
}
