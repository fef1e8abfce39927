using Sozu.Net.Http1.Parsing;

namespace Sozu.Net.Http1.Editing;

/// <summary>
/// Writes the head forwarded to a backend: the request line and end-to-end headers as received,
/// then the proxy's own headers.
/// <list type="bullet">
/// <item>X-Forwarded-For and Forwarded are appended to (as Sōzu does): the client's values are
/// kept, merged into one line, and the client address added last. A backend that trusts them
/// must trust only the last entry, which we write.</item>
/// <item>X-Forwarded-Proto, X-Forwarded-Port and Sozu-Id from the client are dropped and
/// replaced: only this proxy knows the scheme and port the client used.</item>
/// <item>Hop-by-hop headers go; Upgrade stays on an upgrade. "Connection: keep-alive" goes to
/// the backend (backend connections are pooled), "Connection: Upgrade" on an upgrade.</item>
/// </list>
/// </summary>
public static class RequestHeadWriter
{
    public const int DoesNotFit = -1;

    /// <summary>Returns the bytes written to <paramref name="destination"/>, or <see cref="DoesNotFit"/>.</summary>
    public static int Write(ReadOnlySpan<byte> source, RequestHead head, scoped in ForwardingContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(head);
        var headers = head.Headers;
        var output = new HeadBuilder(destination);
        var requestLineEnd = headers.IsEmpty ? head.HeadEnd - 2 : headers[0].NameStart;
        output.Append(source[head.HeadStart..requestLineEnd]);

        var upgrading = head.IsUpgrade;
        var forwardedFor = 0;
        var forwarded = 0;
        foreach (ref readonly var header in headers)
        {
            switch (header.Kind)
            {
                case KnownHeader.XForwardedFor:
                    forwardedFor++;
                    continue;
                case KnownHeader.Forwarded:
                    forwarded++;
                    continue;
                case KnownHeader.XForwardedProto or KnownHeader.XForwardedPort or KnownHeader.SozuId:
                    continue;
                case KnownHeader.Upgrade when !upgrading:
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

        output.Append("X-Forwarded-For: "u8);
        if (forwardedFor > 0)
        {
            AppendValues(ref output, source, headers, KnownHeader.XForwardedFor);
        }
        output.Append(context.ClientAddress);
        output.Append("\r\nForwarded: "u8);
        if (forwarded > 0)
        {
            AppendValues(ref output, source, headers, KnownHeader.Forwarded);
        }
        output.Append("for="u8);
        AppendNode(ref output, context.ClientAddress);
        output.Append(context.IsHttps ? ";proto=https"u8 : ";proto=http"u8);
        if (!context.ListenerAddress.IsEmpty)
        {
            output.Append(";by="u8);
            AppendNode(ref output, context.ListenerAddress);
        }
        output.Append(context.IsHttps ? "\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: "u8 : "\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: "u8);
        output.Append(context.ListenerPort);
        output.Append("\r\nSozu-Id: "u8);
        output.Append(context.RequestId);
        output.Append(upgrading ? "\r\nConnection: Upgrade\r\n\r\n"u8 : "\r\nConnection: keep-alive\r\n\r\n"u8);
        return output.Result;
    }

    /// <summary>Every value of one header, in order, each followed by ", ".</summary>
    private static void AppendValues(ref HeadBuilder output, ReadOnlySpan<byte> source, ReadOnlySpan<HeaderEntry> headers, KnownHeader kind)
    {
        foreach (ref readonly var header in headers)
        {
            if (header.Kind == kind && header.ValueLength > 0)
            {
                output.Append(header.Value(source));
                output.Append(", "u8);
            }
        }
    }

    /// <summary>A Forwarded node (RFC 7239 §6): an IPv6 address is bracketed and quoted.</summary>
    private static void AppendNode(ref HeadBuilder output, ReadOnlySpan<byte> address)
    {
        if (address.Contains((byte)':'))
        {
            output.Append("\"["u8);
            output.Append(address);
            output.Append("]\""u8);
        }
        else
        {
            output.Append(address);
        }
    }
}
