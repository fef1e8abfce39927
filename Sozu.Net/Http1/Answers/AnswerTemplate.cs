using System.Text;
using Sozu.Net.Http1.Editing;

namespace Sozu.Net.Http1.Answers;

/// <summary>
/// One answer, prepared from raw HTTP text once at configuration time: line endings normalised
/// to CRLF, Content-Length recomputed, %CLUSTER_ID substituted, and the per-request placeholders
/// (%REQUEST_ID, %REDIRECT_LOCATION) kept as slots filled while writing into a span.
/// </summary>
public sealed class AnswerTemplate
{
    private const string RequestIdPlaceholder = "%REQUEST_ID";
    private const string RedirectLocationPlaceholder = "%REDIRECT_LOCATION";
    private const string ClusterIdPlaceholder = "%CLUSTER_ID";

    private readonly Segment[] _head;
    private readonly Segment[] _body;

    private AnswerTemplate(int statusCode, Segment[] head, Segment[] body, bool closesConnection)
    {
        StatusCode = statusCode;
        _head = head;
        _body = body;
        ClosesConnection = closesConnection;
    }

    private enum Slot : byte
    {
        None,
        RequestId,
        RedirectLocation,
    }

    public int StatusCode { get; }

    /// <summary>The answer says "Connection: close": the session closes after sending it.</summary>
    public bool ClosesConnection { get; }

    /// <summary>
    /// Prepares a raw answer. Throws <see cref="ArgumentException"/> when it is not an HTTP/1.x
    /// response for <paramref name="expectedStatus"/>, or when a cluster id would inject a line.
    /// </summary>
    public static AnswerTemplate Parse(string raw, int expectedStatus, string? clusterId = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headText = split < 0 ? text.TrimEnd('\r', '\n') : text[..split];
        var bodyText = split < 0 ? "" : text[(split + 4)..];

        var lines = headText.Split("\r\n");
        var statusLine = lines[0];
        if (statusLine.Length < 12 || !(statusLine.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || statusLine.StartsWith("HTTP/1.0 ", StringComparison.Ordinal))
            || !int.TryParse(statusLine.AsSpan(9, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)
            || (statusLine.Length > 12 && statusLine[12] != ' '))
        {
            throw new ArgumentException($"answer {expectedStatus}: the first line must be \"HTTP/1.1 {expectedStatus} <reason>\", not \"{statusLine}\"", nameof(raw));
        }
        if (status != expectedStatus)
        {
            throw new ArgumentException($"answer {expectedStatus}: its status line says {status}", nameof(raw));
        }

        var head = new StringBuilder(statusLine).Append("\r\n");
        var closes = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                throw new ArgumentException($"answer {expectedStatus}: \"{line}\" is not a header line", nameof(raw));
            }
            var name = line[..colon];
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue; // recomputed: an operator's count is wrong as soon as a placeholder is filled
            }
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && line.Contains("close", StringComparison.OrdinalIgnoreCase))
            {
                closes = true;
            }
            head.Append(line).Append("\r\n");
        }
        if (!closes && DefaultAnswers.MustClose(status))
        {
            head.Append("Connection: close\r\n");
            closes = true;
        }

        var headWithCluster = SubstituteCluster(head.ToString(), clusterId, inHead: true, expectedStatus);
        var bodyWithCluster = SubstituteCluster(bodyText, clusterId, inHead: false, expectedStatus);
        return new AnswerTemplate(status, Segments(headWithCluster), Segments(bodyWithCluster), closes);
    }

    /// <summary>Writes the answer for one request; returns the bytes written, or -1 when it does not fit.</summary>
    public int Write(Span<byte> destination, scoped in AnswerContext context)
    {
        var output = new HeadBuilder(destination);
        foreach (var segment in _head)
        {
            Append(ref output, segment, context);
        }
        long bodyLength = 0;
        foreach (var segment in _body)
        {
            bodyLength += Length(segment, context);
        }
        output.Append("Content-Length: "u8);
        output.Append(bodyLength);
        output.Append("\r\n\r\n"u8);
        foreach (var segment in _body)
        {
            Append(ref output, segment, context);
        }
        return output.Result;
    }

    private static void Append(ref HeadBuilder output, Segment segment, scoped in AnswerContext context)
    {
        switch (segment.Slot)
        {
            case Slot.RequestId:
                output.Append(context.RequestId);
                break;
            case Slot.RedirectLocation:
                output.Append("https://"u8);
                output.Append(HostWithoutPort(context.RedirectHost));
                if (context.RedirectPort is not 0 and not 443)
                {
                    output.Append((byte)':');
                    output.Append(context.RedirectPort);
                }
                if (!context.RedirectTarget.StartsWith((byte)'/'))
                {
                    output.Append((byte)'/'); // "http://h?q" has an empty path
                }
                output.Append(context.RedirectTarget);
                break;
            default:
                output.Append(segment.Literal);
                break;
        }
    }

    private static int Length(Segment segment, scoped in AnswerContext context) => segment.Slot switch
    {
        Slot.RequestId => context.RequestId.Length,
        Slot.RedirectLocation => "https://".Length + HostWithoutPort(context.RedirectHost).Length
            + (context.RedirectPort is not 0 and not 443 ? 1 + DigitCount(context.RedirectPort) : 0)
            + (context.RedirectTarget.StartsWith((byte)'/') ? 0 : 1) + context.RedirectTarget.Length,
        _ => segment.Literal.Length,
    };

    private static ReadOnlySpan<byte> HostWithoutPort(ReadOnlySpan<byte> host)
    {
        // "[::1]:8443" keeps its brackets; only a colon after the last ']' starts a port.
        var colon = host.LastIndexOf((byte)':');
        return colon >= 0 && host.LastIndexOf((byte)']') < colon ? host[..colon] : host;
    }

    private static int DigitCount(int value) => value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5;

    private static string SubstituteCluster(string text, string? clusterId, bool inHead, int status)
    {
        if (!text.Contains(ClusterIdPlaceholder, StringComparison.Ordinal))
        {
            return text;
        }
        var value = clusterId ?? "";
        if (inHead && value.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            throw new ArgumentException($"answer {status}: cluster id '{value}' cannot go in a header", nameof(clusterId));
        }
        return text.Replace(ClusterIdPlaceholder, value, StringComparison.Ordinal);
    }

    private static Segment[] Segments(string text)
    {
        var segments = new List<Segment>();
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var at = rest.IndexOf('%');
            var slot = Slot.None;
            var placeholderLength = 0;
            while (at >= 0)
            {
                if (rest[at..].StartsWith(RequestIdPlaceholder, StringComparison.Ordinal))
                {
                    (slot, placeholderLength) = (Slot.RequestId, RequestIdPlaceholder.Length);
                    break;
                }
                if (rest[at..].StartsWith(RedirectLocationPlaceholder, StringComparison.Ordinal))
                {
                    (slot, placeholderLength) = (Slot.RedirectLocation, RedirectLocationPlaceholder.Length);
                    break;
                }
                var next = rest[(at + 1)..].IndexOf('%');
                at = next < 0 ? -1 : at + 1 + next;
            }
            if (at < 0)
            {
                segments.Add(new Segment(Encoding.UTF8.GetBytes(rest.ToString()), Slot.None));
                break;
            }
            if (at > 0)
            {
                segments.Add(new Segment(Encoding.UTF8.GetBytes(rest[..at].ToString()), Slot.None));
            }
            segments.Add(new Segment([], slot));
            rest = rest[(at + placeholderLength)..];
        }
        return [.. segments];
    }

    private readonly record struct Segment(byte[] Literal, Slot Slot);
}
