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
/// <item>An absolute-form target's authority replaces Host (RFC 9112 §3.2.2), so the backend
/// serves the host the request was routed on.</item>
/// <item>The sticky session cookie is removed from Cookie (Sōzu does the same): it is the
/// proxy's, not the application's.</item>
/// <item>Hop-by-hop headers go; Upgrade stays on an upgrade, rewritten without h2c (HTTP/2 by
/// upgrade is never forwarded; HTTP2-Settings always goes). "Connection: keep-alive" goes to
/// the backend (backend connections are pooled), "Connection: Upgrade" on an upgrade.</item>
/// </list>
/// </summary>
public static class RequestHeadWriter
{
    public const int DoesNotFit = -1;

    /// <summary>
    /// Returns the bytes written to <paramref name="destination"/>, or <see cref="DoesNotFit"/>.
    /// The destination must not overlap the source: values are read back after lines are copied.
    /// </summary>
    public static int Write(ReadOnlySpan<byte> source, RequestHead head, scoped in ForwardingContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(head);
        var headers = head.Headers;
        var output = new HeadBuilder(destination);
        var upgrading = head.IsUpgrade;
        var forwardedFor = 0;
        var forwarded = 0;

        // Kept lines are contiguous in the source: copy each run of them (starting with the
        // request line) in one move instead of header by header.
        var runStart = head.HeadStart;
        for (var i = 0; i < headers.Length; i++)
        {
            ref readonly var header = ref headers[i];
            forwardedFor += header.Kind == KnownHeader.XForwardedFor ? 1 : 0;
            forwarded += header.Kind == KnownHeader.Forwarded ? 1 : 0;
            if (i != head.StickyCookieHeader && Forwards(source, head, header, upgrading))
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

        if (head.StickyCookieHeader >= 0)
        {
            AppendCookiesWithoutSticky(ref output, source, head);
        }
        if (!head.Authority.IsEmpty)
        {
            output.AppendHeader("Host"u8, head.Authority.Of(source));
        }
        if (upgrading)
        {
            AppendUpgradeWithoutH2c(ref output, source, headers);
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

    private static bool Forwards(ReadOnlySpan<byte> source, RequestHead head, in HeaderEntry header, bool upgrading) => header.Kind switch
    {
        // Merged into the lines this proxy writes.
        KnownHeader.XForwardedFor or KnownHeader.Forwarded => false,
        // Replaced: only this proxy knows them.
        KnownHeader.XForwardedProto or KnownHeader.XForwardedPort or KnownHeader.SozuId => false,
        KnownHeader.Host => head.Authority.IsEmpty,
        // A line offering h2c is rewritten below without it.
        KnownHeader.Upgrade => upgrading && !OffersH2c(header.Value(source)),
        var kind when HopByHop.IsAlwaysHopByHop(kind) => false,
        _ => !HopByHop.IsNamedByConnection(source, head, header),
    };

    /// <summary>The Cookie line that held the sticky cookie, without it; nothing when it was the only cookie.</summary>
    private static void AppendCookiesWithoutSticky(ref HeadBuilder output, ReadOnlySpan<byte> source, RequestHead head)
    {
        var header = head.Headers[head.StickyCookieHeader];
        var before = source[header.ValueStart..head.StickyCookiePair.Start].TrimEnd("; \t"u8);
        var after = source[head.StickyCookiePair.End..(header.ValueStart + header.ValueLength)].TrimStart("; \t"u8);
        if (before.IsEmpty && after.IsEmpty)
        {
            return;
        }
        output.Append(header.Name(source));
        output.Append(": "u8);
        output.Append(before);
        if (!before.IsEmpty && !after.IsEmpty)
        {
            output.Append("; "u8);
        }
        output.Append(after);
        output.Append("\r\n"u8);
    }

    private static bool OffersH2c(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Http1Parser.IsH2c(value[range].Trim(" \t"u8)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The protocols of the Upgrade lines that offered h2c, but h2c, on one line (none when nothing is left).</summary>
    private static void AppendUpgradeWithoutH2c(ref HeadBuilder output, ReadOnlySpan<byte> source, ReadOnlySpan<HeaderEntry> headers)
    {
        var first = true;
        foreach (ref readonly var header in headers)
        {
            var value = header.Value(source);
            if (header.Kind != KnownHeader.Upgrade || !OffersH2c(value))
            {
                continue;
            }
            foreach (var range in value.Split((byte)','))
            {
                var protocol = value[range].Trim(" \t"u8);
                if (protocol.IsEmpty || Http1Parser.IsH2c(protocol))
                {
                    continue;
                }
                output.Append(first ? "Upgrade: "u8 : ", "u8);
                output.Append(protocol);
                first = false;
            }
        }
        if (!first)
        {
            output.Append("\r\n"u8);
        }
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
