using System.Text;
using Sozu.Messages.Collections;

namespace Sozu.Net.Listeners;

/// <summary>
/// The raw HTTP answers a listener sends on its own (404, 503, …): built-in defaults replaced
/// by the operator's raw answers ("answers" of the listener). Encoded once; a session sends
/// them straight from these arrays, so an answer needs no buffer. Every answer closes the
/// connection: the request may have a body the proxy did not read.
/// </summary>
internal sealed class ListenerAnswers
{
    /// <summary>The statuses the proxy answers itself (301 is built per request for https_redirect).</summary>
    internal static readonly int[] Statuses = [400, 401, 404, 408, 413, 431, 502, 503, 504];

    private readonly Dictionary<int, byte[]> _answers = [];

    private ListenerAnswers()
    {
    }

    public byte[] Get(int status) => _answers.TryGetValue(status, out var answer) ? answer : _answers[502];

    public static bool TryCreate(StringMap overrides, out ListenerAnswers answers, out string error)
    {
        answers = new ListenerAnswers();
        foreach (var status in Statuses)
        {
            answers._answers[status] = Default(status);
        }
        foreach (var (key, raw) in overrides)
        {
            if (!int.TryParse(key, out var status) || Array.IndexOf(Statuses, status) < 0)
            {
                error = $"answer '{key}' is not one of {string.Join(", ", Statuses)}";
                return false;
            }
            if (!TryEncode(raw, out var bytes, out error))
            {
                error = $"answer {key}: {error}";
                return false;
            }
            answers._answers[status] = bytes;
        }
        error = "";
        return true;
    }

    /// <summary>A raw answer as the operator wrote it; bare LF line ends become CRLF.</summary>
    public static bool TryEncode(string raw, out byte[] bytes, out string error)
    {
        bytes = [];
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            error = "a raw answer must start with an HTTP/1.x status line";
            return false;
        }
        var text = raw.Contains("\r\n", StringComparison.Ordinal) ? raw : raw.Replace("\n", "\r\n", StringComparison.Ordinal);
        if (!text.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            error = "a raw answer needs an empty line after its headers";
            return false;
        }
        bytes = Encoding.UTF8.GetBytes(text);
        error = "";
        return true;
    }

    internal static string Reason(int status) => status switch
    {
        301 => "Moved Permanently",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };

    private static byte[] Default(int status)
    {
        var body = $"{status} {Reason(status)}\n";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {Reason(status)}\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}");
    }
}
