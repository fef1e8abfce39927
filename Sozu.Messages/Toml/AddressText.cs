using System.Net;

namespace Sozu.Messages.Toml;

/// <summary>
/// Socket addresses as the file writes them ("ip:port", "[v6]:port"). They are normalized, so
/// that a frontend finds its listener whatever spelling each used.
/// </summary>
internal static class AddressText
{
    public static string? Read(TomlSection section, string key, bool required)
    {
        var text = section.String(key);
        if (text is null)
        {
            if (required && !section.Has(key))
            {
                section.Error(key, "missing; expected an address \"ip:port\"");
            }
            return null;
        }
        var normalized = Normalize(text);
        if (normalized is null)
        {
            section.Error(key, $"\"{text}\" is not an address \"ip:port\" (an IP literal and a port 1-65535)");
        }
        return normalized;
    }

    public static string? Normalize(string text)
    {
        if (!IPEndPoint.TryParse(text.Trim(), out var endpoint) || endpoint.Port == 0)
        {
            return null;
        }
        return endpoint.ToString();
    }
}
