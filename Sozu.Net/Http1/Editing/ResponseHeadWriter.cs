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

    /// <summary>Returns the bytes written to <paramref name="destination"/>, or <see cref="DoesNotFit"/>.</summary>
    public static int Write(ReadOnlySpan<byte> source, ResponseHead head, scoped in ResponseContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(head);
        var headers = head.Headers;
        var output = new HeadBuilder(destination);
        var statusLineEnd = headers.IsEmpty ? head.HeadEnd - 2 : headers[0].NameStart;
        output.Append(source[head.HeadStart..statusLineEnd]);

        var switching = head.StatusCode == 101;
        foreach (ref readonly var header in headers)
        {
            switch (header.Kind)
            {
                case KnownHeader.SozuId:
                    continue;
                case KnownHeader.Upgrade when !switching:
                    continue;
                case var kind when HopByHop.IsAlwaysHopByHop(kind):
                    continue;
            }
            if (HopByHop.IsNamedByConnection(source, head, header))
            {
                continue;
            }
            output.AppendHeader(header.Name(source), header.Value(source));
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
}
