using System.Globalization;
using Sozu.Messages.Collections;

namespace Sozu.Messages.Config;

/// <summary>
/// The text form of the records that carry a private key: everything useful in a log line
/// (the certificate's size, its chain's length, names, versions), and of the key only that it
/// is there. A record's generated ToString prints every field; these override it.
/// </summary>
internal static class Redacted
{
    public const string Key = "<redacted>";

    public static string Describe(string type, string? certificate, int chainLength, string? key, ValueList<string> names, ValueList<TlsVersion> versions) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{type} {{ Certificate = {certificate?.Length ?? 0} PEM chars, CertificateChain = {chainLength} PEM, Key = {(string.IsNullOrEmpty(key) ? "none" : Key)}, Names = {names}, Versions = {versions} }}");
}
