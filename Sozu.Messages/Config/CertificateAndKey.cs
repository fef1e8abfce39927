using Sozu.Messages.Collections;

namespace Sozu.Messages.Config;

/// <summary>
/// A certificate with its chain and private key, all PEM. Its text form (logs, error messages,
/// every record that holds one: AddCertificate, WorkerRequest, SyncState…) never shows the key.
/// </summary>
public sealed record CertificateAndKey : ISozuMessage
{
    public required string Certificate { get; init; }

    public ValueList<string> CertificateChain { get; init; } = ValueList<string>.Empty;

    public required string Key { get; init; }

    /// <summary>The names it serves; empty means the certificate's CN and SANs.</summary>
    public ValueList<string> Names { get; init; } = ValueList<string>.Empty;

    public ValueList<TlsVersion> Versions { get; init; } = ValueList<TlsVersion>.Empty;

    /// <summary>What a record would print, with the key replaced by its length: a key is never logged.</summary>
    public override string ToString() => Redacted.Describe(nameof(CertificateAndKey), Certificate, CertificateChain.Count, Key, Names, Versions);
}
