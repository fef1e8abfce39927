using Sozu.Net.Http1.Parsing;

namespace Sozu.Net.Http1.Editing;

/// <summary>
/// Writes the head sent to the client: status line and end-to-end headers as received, minus
/// hop-by-hop ones and the backend's Sozu-Id, plus our Sozu-Id, HSTS when the backend set
/// none (Sōzu's default), the sticky cookie, and the Connection header the client needs.
/// </summary>
public static class ResponseHeadWriter
{
    public const int DoesNotFit = -1;

    /// <summary>
    /// Returns the bytes written to <paramref name="destination"/>, or <see cref="DoesNotFit"/>.
    /// The destination must not overlap the source: values are read back after lines are copied.
    /// </summary>
    public static int Write(ReadOnlySpan<byte> source, ResponseHead head, scoped in ResponseContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(head);
        var headers = head.Headers;
        var output = new HeadBuilder(destination);
        var switching = head.StatusCode == 101;

        // Kept lines are contiguous: copy each run (from the status line on) in one move.
        var runStart = head.HeadStart;
        foreach (ref readonly var header in headers)
        {
            if (Forwards(source, head, header, switching))
            {
                if (runStart < 0)
                {
                    runStart = header.NameStart;
                }
            }
            else if (runStart >= 0)
            {
                output.Append(source[runStart..header.NameStart]);
                runStart = -1;
            }
        }
        if (runStart >= 0)
        {
            output.Append(source[runStart..(head.HeadEnd - 2)]);
        }

        output.Append("Sozu-Id: "u8);
        output.Append(context.RequestId);
        output.Append("\r\n"u8);
        if (head.IsInterim)
        {
            output.Append("\r\n"u8);
            return output.Result;
        }
        if (!context.StrictTransportSecurity.IsEmpty && !head.HasStrictTransportSecurity)
        {
            output.Append(context.StrictTransportSecurity);
        }
        if (!context.StickyCookieName.IsEmpty)
        {
            output.Append("Set-Cookie: "u8);
            output.Append(context.StickyCookieName);
            output.Append((byte)'=');
            output.Append(context.StickyCookieValue);
            output.Append("; Path=/\r\n"u8);
        }
        if (switching)
        {
            output.Append("Connection: Upgrade\r\n"u8);
        }
        else if (context.CloseClient || head.Body == BodyKind.CloseDelimited)
        {
            // A close-delimited body can only end for the client by closing its connection too.
            output.Append("Connection: close\r\n"u8);
        }
        else if (context.ClientIsHttp10)
        {
            output.Append("Connection: keep-alive\r\n"u8);
        }
        output.Append("\r\n"u8);
        return output.Result;
    }

    private static bool Forwards(ReadOnlySpan<byte> source, ResponseHead head, in HeaderEntry header, bool switching) => header.Kind switch
    {
        KnownHeader.SozuId => false,
        KnownHeader.Upgrade => switching,
        var kind when HopByHop.IsAlwaysHopByHop(kind) => false,
        _ => !HopByHop.IsNamedByConnection(source, head, header),
    };
}
