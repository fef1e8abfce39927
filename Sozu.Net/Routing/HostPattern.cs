using System.Buffers;
using System.Text;
using System.Globalization;

namespace Sozu.Net.Routing;

/// <summary>
/// A frontend's hostname in lookup form: lower-case ASCII (IDNA for Unicode names), no
/// trailing dot; for a wildcard, the key is the suffix after "*.".
/// </summary>
internal readonly record struct HostPattern(HostPatternKind Kind, string Key)
{
    private static readonly SearchValues<char> HostChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._[]:");

    private static readonly IdnMapping Idn = new();

    public static HostPattern Parse(string hostname)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        if (hostname == "*")
        {
            return new HostPattern(HostPatternKind.Any, "");
        }
        var kind = HostPatternKind.Exact;
        var name = hostname;
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            kind = HostPatternKind.Wildcard;
            name = name[2..];
        }
        name = name.TrimEnd('.');
        if (!Ascii.IsValid(name))
        {
            try
            {
                name = Idn.GetAscii(name);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"hostname '{hostname}' is not a valid internationalised name: {e.Message}", nameof(hostname), e);
            }
        }
        name = name.ToLowerInvariant();
        if (name.Length == 0 || name.Length > Router.MaxHostLength || name.AsSpan().ContainsAnyExcept(HostChars)
            || name.StartsWith('.') || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"hostname '{hostname}' is not a host name, a '*.' wildcard or '*'", nameof(hostname));
        }
        return new HostPattern(kind, name);
    }

    /// <summary>
    /// Writes the lookup form of a request's Host (or authority) into <paramref name="destination"/>:
    /// port stripped, trailing dot dropped, lower-cased. Returns the length, or -1 when it cannot
    /// be a configured name (too long, empty, non-ASCII).
    /// </summary>
    public static int ToLookupKey(ReadOnlySpan<byte> host, Span<char> destination)
    {
        if (!host.IsEmpty && host[0] == '[')
        {
            var close = host.IndexOf((byte)']');
            if (close > 0)
            {
                host = host[..(close + 1)];
            }
        }
        else
        {
            var colon = host.LastIndexOf((byte)':');
            if (colon >= 0)
            {
                host = host[..colon];
            }
        }
        if (!host.IsEmpty && host[^1] == '.')
        {
            host = host[..^1];
        }
        if (host.IsEmpty || host.Length > destination.Length
            || Ascii.ToLower(host, destination, out var written) != System.Buffers.OperationStatus.Done)
        {
            return -1;
        }
        return written;
    }

    public bool Matches(ReadOnlySpan<char> host) => Kind switch
    {
        HostPatternKind.Any => true,
        HostPatternKind.Exact => host.SequenceEqual(Key),
        _ => WildcardSuffix(host).SequenceEqual(Key),
    };

    /// <summary>The host without its first label, or empty when there is no non-empty first label.</summary>
    public static ReadOnlySpan<char> WildcardSuffix(ReadOnlySpan<char> host)
    {
        var dot = host.IndexOf('.');
        return dot > 0 ? host[(dot + 1)..] : [];
    }
}
