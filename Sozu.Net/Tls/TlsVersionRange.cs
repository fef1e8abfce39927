using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>
/// The TLS versions something allows, as OpenSSL's min/max protocol versions. The
/// configuration lists versions; since only 1.2 and 1.3 exist here, a list is always a range.
/// An empty list allows both.
/// </summary>
internal readonly record struct TlsVersionRange(int Min, int Max)
{
    public static readonly TlsVersionRange All = new(LibSsl.Tls12Version, LibSsl.Tls13Version);

    public bool IsEmpty => Min > Max;

    public static bool TryCreate(ValueList<TlsVersion> versions, out TlsVersionRange range, out string error)
    {
        ArgumentNullException.ThrowIfNull(versions);
        range = All;
        if (versions.Count == 0)
        {
            error = "";
            return true;
        }
        var tls12 = false;
        var tls13 = false;
        foreach (var version in versions)
        {
            switch (version)
            {
                case TlsVersion.TlsV12:
                    tls12 = true;
                    break;
                case TlsVersion.TlsV13:
                    tls13 = true;
                    break;
                default:
                    error = $"unknown TLS version {version}; use TLS_V12 or TLS_V13";
                    return false;
            }
        }
        range = new TlsVersionRange(tls12 ? LibSsl.Tls12Version : LibSsl.Tls13Version, tls13 ? LibSsl.Tls13Version : LibSsl.Tls12Version);
        error = "";
        return true;
    }

    /// <summary>The versions both allow; <see cref="IsEmpty"/> when they have none in common.</summary>
    public TlsVersionRange Intersect(TlsVersionRange other) => new(Math.Max(Min, other.Min), Math.Min(Max, other.Max));

    public override string ToString() => IsEmpty ? "no TLS version"
        : Min == Max ? Name(Min)
        : $"{Name(Min)} to {Name(Max)}";

    private static string Name(int version) => version == LibSsl.Tls13Version ? "TLS 1.3" : "TLS 1.2";
}
