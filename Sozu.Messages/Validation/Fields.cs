namespace Sozu.Messages.Validation;

/// <summary>Checks of single fields. Each returns null when the value is fine, else a message naming field and value.</summary>
public static class Fields
{
    private const int MaxIdLength = 256;

    /// <summary>Ids are map keys, log fields and metric tags: printable, trimmed, bounded.</summary>
    public static string? Id(string field, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return $"{field} must not be empty";
        }
        if (id.Length > MaxIdLength)
        {
            return $"{field} '{id[..32]}…' is longer than {MaxIdLength} characters";
        }
        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
        {
            return $"{field} '{id}' has leading or trailing whitespace";
        }
        foreach (var c in id)
        {
            if (char.IsControl(c))
            {
                return $"{field} '{id}' contains a control character";
            }
        }
        return null;
    }

    public static string? Positive(string field, int value) =>
        value > 0 ? null : $"{field} must be greater than 0, got {value}";

    public static string? NonNegative(string field, int value) =>
        value >= 0 ? null : $"{field} must be 0 or more, got {value}";

    public static string? Defined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : $"{field} has no value {value} in {typeof(TEnum).Name}";

    /// <summary>An HTTP token (RFC 9110 tchar), as methods and cookie names are.</summary>
    public static string? Token(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{field} must not be empty";
        }
        foreach (var c in value)
        {
            if (!IsTokenChar(c))
            {
                return $"{field} '{value}' contains '{c}', not allowed in an HTTP token";
            }
        }
        return null;
    }

    /// <summary>Keys of raw answers are HTTP status codes.</summary>
    public static string? StatusCode(string field, string? key) =>
        key is { Length: 3 } && key[0] is >= '1' and <= '5' && char.IsAsciiDigit(key[1]) && char.IsAsciiDigit(key[2])
            ? null
            : $"{field} key '{key}' is not an HTTP status code";

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
