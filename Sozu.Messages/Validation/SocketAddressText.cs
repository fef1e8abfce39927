using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sozu.Messages.Validation;

/// <summary>
/// Addresses are state keys compared as text, so only the canonical spelling of an ip:port is
/// accepted ("127.0.0.1:8080", "[::1]:8080"): a frontend written "127.1:8080" would otherwise
/// never find its listener (Sōzu issue #1024).
/// </summary>
public static class SocketAddressText
{
    /// <summary>Returns null when <paramref name="text"/> is a canonical ip:port, else why not.</summary>
    public static string? Check(string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return $"{field} must be an ip:port, got an empty value";
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return $"{field} '{text}' is not an ip:port (IPv6 is written [addr]:port)";
        }
        var host = text.AsSpan(0, colon);
        var port = text.AsSpan(colon + 1);
        var bracketed = host.Length >= 2 && host[0] == '[' && host[^1] == ']';
        if (bracketed)
        {
            host = host[1..^1];
        }
        if (!IPAddress.TryParse(host, out var ip))
        {
            return $"{field} '{text}' does not start with an IP address";
        }
        var wantsBrackets = ip.AddressFamily == AddressFamily.InterNetworkV6;
        if (wantsBrackets != bracketed)
        {
            return wantsBrackets
                ? $"{field} '{text}': an IPv6 address is written [addr]:port"
                : $"{field} '{text}': only IPv6 addresses are written in brackets";
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber)
            || portNumber is < 1 or > 65_535)
        {
            return $"{field} '{text}' has no port between 1 and 65535";
        }
        var canonical = Format(ip, portNumber);
        if (!string.Equals(canonical, text, StringComparison.Ordinal))
        {
            return $"{field} '{text}' is not in canonical form; write '{canonical}'";
        }
        return null;
    }

    public static string Format(IPAddress ip, int port)
    {
        ArgumentNullException.ThrowIfNull(ip);
        return ip.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{ip}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{ip}:{port}");
    }
}
