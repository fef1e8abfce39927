namespace Sozu.Messages.Validation;

/// <summary>
/// Frontend hostnames: an exact DNS name, a "*." wildcard standing for exactly one leftmost
/// label, or "*" alone for any host. Compared without regard to ASCII case, as DNS does.
/// </summary>
public static class Hostname
{
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    public static string? Check(string field, string? hostname)
    {
        if (string.IsNullOrEmpty(hostname))
        {
            return $"{field} must not be empty (use \"*\" to match any host)";
        }
        if (hostname == "*")
        {
            return null;
        }
        if (hostname.Length > MaxLength)
        {
            return $"{field} '{hostname}' is longer than {MaxLength} characters";
        }
        var rest = hostname.AsSpan();
        if (rest.StartsWith("*."))
        {
            rest = rest[2..];
        }
        if (rest.IsEmpty)
        {
            return $"{field} '{hostname}': a wildcard needs a domain after \"*.\"";
        }
        foreach (var range in rest.Split('.'))
        {
            var label = rest[range];
            if (label.IsEmpty)
            {
                return $"{field} '{hostname}' has an empty label";
            }
            if (label.Length > MaxLabelLength)
            {
                return $"{field} '{hostname}' has a label longer than {MaxLabelLength} characters";
            }
            if (label[0] == '-' || label[^1] == '-')
            {
                return $"{field} '{hostname}' has a label starting or ending with '-'";
            }
            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                {
                    return c == '*'
                        ? $"{field} '{hostname}': '*' is allowed only as the whole leftmost label (\"*.example.com\") or alone"
                        : $"{field} '{hostname}' contains '{c}', not allowed in a hostname";
                }
            }
        }
        return null;
    }

    /// <summary>Whether a name pattern (exact or "*." wildcard, "*") covers a concrete host.</summary>
    public static bool Covers(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);
        if (pattern == "*")
        {
            return true;
        }
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var firstDot = host.IndexOf('.', StringComparison.Ordinal);
            return firstDot > 0 && host.AsSpan(firstDot + 1).Equals(pattern.AsSpan(2), StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
