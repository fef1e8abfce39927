using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.Json.Wire;

/// <summary>
/// The wire shape of add_certificate: Sōzu flattens the certificate beside the address,
/// where the typed request nests it.
/// </summary>
internal sealed record AddCertificateData
{
    public required string Address { get; init; }

    public required string Certificate { get; init; }

    public ValueList<string> CertificateChain { get; init; } = ValueList<string>.Empty;

    public required string Key { get; init; }

    public ValueList<string> Names { get; init; } = ValueList<string>.Empty;

    public ValueList<TlsVersion> Versions { get; init; } = ValueList<TlsVersion>.Empty;

    /// <summary>Never the key (see <see cref="CertificateAndKey.ToString"/>).</summary>
    public override string ToString() => $"{nameof(AddCertificateData)} {{ Address = {Address}, Certificate = {Redacted.Describe(nameof(CertificateAndKey), Certificate, CertificateChain.Count, Key, Names, Versions)} }}";
}
