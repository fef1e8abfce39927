using Sozu.Messages.Config;

namespace Sozu.Messages.Requests;

/// <summary>Adds a certificate to the HTTPS listener at <see cref="Address"/>.</summary>
public sealed record AddCertificate(string Address, CertificateAndKey Certificate) : ConfigRequest;

/// <summary>Swaps a certificate atomically: open connections keep the old one, new ones get the new one.</summary>
public sealed record ReplaceCertificate(string Address, string OldFingerprint, CertificateAndKey NewCertificate) : ConfigRequest;

public sealed record RemoveCertificate(string Address, string Fingerprint) : ConfigRequest;
