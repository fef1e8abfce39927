using System.Text;

namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// HTTP/1.x head parsers over a span: no allocation, no strings, offsets out. Each call parses
/// from the start of the head again; heads nearly always arrive in one read, so re-parsing the
/// rare split head costs less than carrying resumable state. Anything ambiguous about body
/// framing is <see cref="ParseStatus.Invalid"/>: a proxy that guesses is a smuggling vector.
/// </summary>
public static class Http1Parser
{
    private const int Incomplete = -1;
    private const int BareLineFeed = -2;

    public static ParseStatus ParseRequestHead(ReadOnlySpan<byte> buffer, RequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        head.Reset();

        // RFC 9112 §2.2: a server should ignore empty lines received before the request line,
        // which some clients send after a POST body.
        var pos = 0;
        while (pos + 1 < buffer.Length && buffer[pos] == '\r' && buffer[pos + 1] == '\n')
        {
            pos += 2;
        }
        head.HeadStart = pos;

        var lineEnd = FindLineEnd(buffer, pos);
        if (lineEnd < 0)
        {
            return lineEnd == BareLineFeed ? ParseStatus.Invalid : NeedMore(buffer, head);
        }
        var status = ParseRequestLine(buffer, pos, lineEnd, head);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        status = ParseHeaderLines(buffer, lineEnd + 2, head, head);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        if (head.Version == HttpVersion.Http11 && head.Host.IsEmpty)
        {
            return ParseStatus.Invalid; // RFC 9112 §3.2: a 1.1 request without Host is a 400.
        }
        if (head.HasTransferEncoding)
        {
            // RFC 9112 §6.1: TE with Content-Length, TE on 1.0, or a TE not ending in chunked
            // leaves the request length unknowable; rejecting is the only safe answer.
            if (head.ContentLength >= 0 || head.Version == HttpVersion.Http10 || !head.IsChunked)
            {
                return ParseStatus.Invalid;
            }
            // "gzip, chunked": framed, but with a coding this proxy does not decode and the backend
            // may not either (RFC 9112 §6.1: 501). Only a clean "chunked" is forwarded.
            if (head.HasOtherCoding)
            {
                return ParseStatus.NotImplemented;
            }
            head.Body = BodyKind.Chunked;
        }
        else
        {
            head.Body = head.ContentLength > 0 ? BodyKind.ContentLength : BodyKind.None;
        }
        return ParseStatus.Complete;
    }

    /// <param name="requestWasHead">The response answers a HEAD request: it has no body whatever its headers say.</param>
    public static ParseStatus ParseResponseHead(ReadOnlySpan<byte> buffer, ResponseHead head, bool requestWasHead)
    {
        ArgumentNullException.ThrowIfNull(head);
        head.Reset();

        var lineEnd = FindLineEnd(buffer, 0);
        if (lineEnd < 0)
        {
            return lineEnd == BareLineFeed ? ParseStatus.Invalid : NeedMore(buffer, head);
        }
        var status = ParseStatusLine(buffer[..lineEnd], head);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        status = ParseHeaderLines(buffer, lineEnd + 2, head, null);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        var code = head.StatusCode;
        if (requestWasHead || code < 200 || code == 204 || code == 304)
        {
            head.Body = BodyKind.None;
        }
        else if (head.HasTransferEncoding)
        {
            // RFC 9112 §6.3 lets TE override Content-Length, but a backend sending both is
            // broken or hostile; a 502 is safer than forwarding an ambiguous message.
            if (head.ContentLength >= 0)
            {
                return ParseStatus.Invalid;
            }
            head.Body = head.IsChunked && head.Version == HttpVersion.Http11 ? BodyKind.Chunked : BodyKind.CloseDelimited;
        }
        else if (head.ContentLength >= 0)
        {
            head.Body = head.ContentLength > 0 ? BodyKind.ContentLength : BodyKind.None;
        }
        else
        {
            head.Body = BodyKind.CloseDelimited;
        }
        return ParseStatus.Complete;
    }

    private static ParseStatus NeedMore(ReadOnlySpan<byte> buffer, MessageHead head) =>
        buffer.Length >= head.MaxHeadLength ? ParseStatus.TooLarge : ParseStatus.Incomplete;

    /// <summary>The index of the CR of the CRLF ending the line that starts at <paramref name="from"/>.</summary>
    private static int FindLineEnd(ReadOnlySpan<byte> buffer, int from)
    {
        var lf = buffer[from..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            return Incomplete;
        }
        lf += from;
        return lf > from && buffer[lf - 1] == '\r' ? lf - 1 : BareLineFeed;
    }

    private static ParseStatus ParseRequestLine(ReadOnlySpan<byte> buffer, int start, int end, RequestHead head)
    {
        var line = buffer[start..end];
        var methodLength = line.IndexOf((byte)' ');
        if (methodLength <= 0 || !HttpBytes.IsToken(line[..methodLength]))
        {
            return ParseStatus.Invalid;
        }
        var rest = line[(methodLength + 1)..];
        var targetLength = rest.IndexOf((byte)' ');
        if (targetLength <= 0)
        {
            return ParseStatus.Invalid;
        }
        var target = rest[..targetLength];
        var version = rest[(targetLength + 1)..];

        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            head.Version = HttpVersion.Http11;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            head.Version = HttpVersion.Http10;
        }
        else
        {
            return ParseStatus.Invalid;
        }

        // Visible ASCII only: no CTL, no space, no raw UTF-8; '#' never travels in a request.
        if (target.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E) || target.Contains((byte)'#'))
        {
            return ParseStatus.Invalid;
        }

        var method = line[..methodLength];
        head.Method = new ByteRange(start, methodLength);
        head.IsHeadMethod = method.SequenceEqual("HEAD"u8);
        var targetStart = start + methodLength + 1;
        head.Target = new ByteRange(targetStart, targetLength);

        if (target[0] == '/')
        {
            SplitPathAndQuery(targetStart, target, head);
            return ParseStatus.Complete;
        }
        if (target.Length == 1 && target[0] == '*')
        {
            if (!method.SequenceEqual("OPTIONS"u8))
            {
                return ParseStatus.Invalid;
            }
            head.Path = head.Target;
            return ParseStatus.Complete;
        }

        int schemeLength;
        if (target.Length > 7 && Ascii.EqualsIgnoreCase(target[..7], "http://"u8))
        {
            schemeLength = 7;
        }
        else if (target.Length > 8 && Ascii.EqualsIgnoreCase(target[..8], "https://"u8))
        {
            schemeLength = 8;
        }
        else
        {
            return ParseStatus.Invalid; // authority-form (CONNECT) is not proxied
        }
        var afterScheme = target[schemeLength..];
        var authorityLength = afterScheme.IndexOfAny((byte)'/', (byte)'?');
        if (authorityLength < 0)
        {
            authorityLength = afterScheme.Length;
        }
        var authority = afterScheme[..authorityLength];
        if (authority.IsEmpty || authority.ContainsAnyExcept(HttpBytes.Host))
        {
            return ParseStatus.Invalid;
        }
        head.Authority = new ByteRange(targetStart + schemeLength, authorityLength);
        var pathOffset = schemeLength + authorityLength;
        SplitPathAndQuery(targetStart + pathOffset, target[pathOffset..], head);
        return ParseStatus.Complete;
    }

    private static void SplitPathAndQuery(int start, ReadOnlySpan<byte> pathAndQuery, RequestHead head)
    {
        var question = pathAndQuery.IndexOf((byte)'?');
        if (question < 0)
        {
            head.Path = new ByteRange(start, pathAndQuery.Length);
            return;
        }
        head.Path = new ByteRange(start, question);
        head.Query = new ByteRange(start + question + 1, pathAndQuery.Length - question - 1);
    }

    private static ParseStatus ParseStatusLine(ReadOnlySpan<byte> line, ResponseHead head)
    {
        // "HTTP/1.1 200" at least; the reason phrase may be empty or absent.
        if (line.Length < 12 || line[8] != ' ')
        {
            return ParseStatus.Invalid;
        }
        var version = line[..8];
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            head.Version = HttpVersion.Http11;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            head.Version = HttpVersion.Http10;
        }
        else
        {
            return ParseStatus.Invalid;
        }
        if (!HttpBytes.TryParseDecimal(line.Slice(9, 3), out var code) || code is < 100 or > 599)
        {
            return ParseStatus.Invalid;
        }
        head.StatusCode = (int)code;
        if (line.Length > 12)
        {
            if (line[12] != ' ' || line[13..].ContainsAny(HttpBytes.ForbiddenInValue))
            {
                return ParseStatus.Invalid;
            }
            head.Reason = new ByteRange(13, line.Length - 13);
        }
        return ParseStatus.Complete;
    }

    /// <summary>Parses header lines from <paramref name="pos"/> up to and including the blank line.</summary>
    private static ParseStatus ParseHeaderLines(ReadOnlySpan<byte> buffer, int pos, MessageHead head, RequestHead? request)
    {
        var hostSeen = false;
        var chunkedSeen = false;
        while (true)
        {
            if (pos >= buffer.Length)
            {
                return NeedMore(buffer, head);
            }
            var first = buffer[pos];
            if (first == '\r')
            {
                if (pos + 1 >= buffer.Length)
                {
                    return NeedMore(buffer, head);
                }
                if (buffer[pos + 1] != '\n')
                {
                    return ParseStatus.Invalid;
                }
                head.HeadEnd = pos + 2;
                return head.HeadEnd > head.MaxHeadLength ? ParseStatus.TooLarge : ParseStatus.Complete;
            }
            if (first == '\n' || HttpBytes.IsOws(first))
            {
                return ParseStatus.Invalid; // bare LF, or obs-fold (RFC 9112 §5.2)
            }

            var lineEnd = FindLineEnd(buffer, pos);
            if (lineEnd < 0)
            {
                return lineEnd == BareLineFeed ? ParseStatus.Invalid : NeedMore(buffer, head);
            }
            var line = buffer[pos..lineEnd];
            var colon = line.IndexOf((byte)':');
            // A space before the colon is rejected by the token check (RFC 9112 §5.1).
            if (colon <= 0 || !HttpBytes.IsToken(line[..colon]))
            {
                return ParseStatus.Invalid;
            }
            var rawValue = line[(colon + 1)..];
            var value = HttpBytes.TrimOws(rawValue);
            if (value.ContainsAny(HttpBytes.ForbiddenInValue))
            {
                return ParseStatus.Invalid;
            }
            var valueStart = pos + colon + 1 + (value.IsEmpty ? 0 : LeadingOws(rawValue));
            var kind = Classify(line[..colon]);
            if (!head.TryAddHeader(new HeaderEntry(pos, colon, valueStart, value.Length, kind)))
            {
                return ParseStatus.TooLarge;
            }

            var fieldStatus = ParseStatus.Complete;
            switch (kind)
            {
                case KnownHeader.Other:
                    break;
                case KnownHeader.ContentLength:
                    fieldStatus = ApplyContentLength(value, head);
                    break;
                case KnownHeader.TransferEncoding:
                    fieldStatus = ApplyTransferEncoding(value, head, ref chunkedSeen);
                    break;
                case KnownHeader.Connection:
                    fieldStatus = ApplyConnection(value, head);
                    break;
                case KnownHeader.Upgrade:
                    ApplyUpgrade(value, valueStart, head);
                    break;
                case KnownHeader.StrictTransportSecurity when head is ResponseHead response:
                    response.HasStrictTransportSecurity = true;
                    break;
                default:
                    if (request is not null)
                    {
                        fieldStatus = ApplyRequestField(kind, value, valueStart, request, ref hostSeen);
                    }
                    break;
            }
            if (fieldStatus != ParseStatus.Complete)
            {
                return fieldStatus;
            }
            pos = lineEnd + 2;
        }
    }

    private static int LeadingOws(ReadOnlySpan<byte> rawValue)
    {
        var n = 0;
        while (n < rawValue.Length && HttpBytes.IsOws(rawValue[n]))
        {
            n++;
        }
        return n;
    }

    private static ParseStatus ApplyRequestField(KnownHeader kind, ReadOnlySpan<byte> value, int valueStart, RequestHead head, ref bool hostSeen)
    {
        switch (kind)
        {
            case KnownHeader.Host:
                if (hostSeen || value.IsEmpty || value.ContainsAnyExcept(HttpBytes.Host))
                {
                    return ParseStatus.Invalid; // two Hosts could route one way and serve another
                }
                hostSeen = true;
                head.Host = new ByteRange(valueStart, value.Length);
                break;
            case KnownHeader.Expect:
                if (Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                {
                    head.ExpectContinue = true;
                }
                break;
            case KnownHeader.Cookie:
                if (head.StickyCookieHeader < 0 && !head.StickyCookieName.IsEmpty)
                {
                    head.StickyCookie = FindCookie(value, valueStart, head.StickyCookieName, out var pair);
                    if (!pair.IsEmpty)
                    {
                        head.StickyCookiePair = pair;
                        head.StickyCookieHeader = head.Headers.Length - 1; // the Cookie line just added
                    }
                }
                break;
        }
        return ParseStatus.Complete;
    }

    private static ParseStatus ApplyContentLength(ReadOnlySpan<byte> value, MessageHead head)
    {
        // "5, 5" is tolerated (RFC 9110 §8.6); differing values are a smuggling attempt.
        foreach (var range in value.Split((byte)','))
        {
            if (!HttpBytes.TryParseDecimal(HttpBytes.TrimOws(value[range]), out var length))
            {
                return ParseStatus.Invalid;
            }
            if (head.ContentLength >= 0 && head.ContentLength != length)
            {
                return ParseStatus.Invalid;
            }
            head.ContentLength = length;
        }
        return ParseStatus.Complete;
    }

    /// <summary>
    /// A clean list only: every element a token, none empty (",chunked", "chunked," and "a,,b"
    /// are refused: lenient parsers skip empty elements, strict ones stop at them, and a proxy
    /// must not forward what two parsers read differently), chunked once and last, across every
    /// Transfer-Encoding line.
    /// </summary>
    private static ParseStatus ApplyTransferEncoding(ReadOnlySpan<byte> value, MessageHead head, ref bool chunkedSeen)
    {
        foreach (var range in value.Split((byte)','))
        {
            var coding = HttpBytes.TrimOws(value[range]);
            // Chunked must be applied once and last; a coding after it leaves the length unknowable.
            if (coding.IsEmpty || chunkedSeen || !HttpBytes.IsToken(coding))
            {
                return ParseStatus.Invalid;
            }
            if (Ascii.EqualsIgnoreCase(coding, "chunked"u8))
            {
                chunkedSeen = true;
            }
            else
            {
                head.HasOtherCoding = true;
            }
        }
        head.HasTransferEncoding = true;
        head.IsChunked = chunkedSeen;
        return ParseStatus.Complete;
    }

    /// <summary>
    /// Keeps the Upgrade value when it offers a protocol other than h2c. HTTP/2 over cleartext by
    /// upgrade is not proxied: an "Upgrade: h2c" request is served as the plain request it also
    /// is, and h2c never reaches a backend (a backend that accepted it would speak HTTP/2 on a
    /// connection the proxy reads as HTTP/1.1).
    /// </summary>
    private static void ApplyUpgrade(ReadOnlySpan<byte> value, int valueStart, MessageHead head)
    {
        foreach (var range in value.Split((byte)','))
        {
            var protocol = HttpBytes.TrimOws(value[range]);
            if (!protocol.IsEmpty && !IsH2c(protocol))
            {
                head.Upgrade = new ByteRange(valueStart, value.Length);
                return;
            }
        }
    }

    internal static bool IsH2c(ReadOnlySpan<byte> protocol) => Ascii.EqualsIgnoreCase(protocol, "h2c"u8);

    private static ParseStatus ApplyConnection(ReadOnlySpan<byte> value, MessageHead head)
    {
        var options = head.Connection;
        foreach (var range in value.Split((byte)','))
        {
            var token = HttpBytes.TrimOws(value[range]);
            if (token.IsEmpty)
            {
                continue;
            }
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                options |= ConnectionOptions.Close;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                options |= ConnectionOptions.KeepAlive;
            }
            else if (Ascii.EqualsIgnoreCase(token, "upgrade"u8))
            {
                options |= ConnectionOptions.Upgrade;
            }
            else if (HttpBytes.IsToken(token))
            {
                options |= ConnectionOptions.NamesOtherHeaders;
            }
            else
            {
                return ParseStatus.Invalid;
            }
        }
        head.Connection = options;
        return ParseStatus.Complete;
    }

    /// <summary>Finds "name=value" among "; "-separated cookies; returns the value and, in <paramref name="pair"/>, the whole pair.</summary>
    private static ByteRange FindCookie(ReadOnlySpan<byte> value, int valueStart, ReadOnlySpan<byte> name, out ByteRange pair)
    {
        foreach (var range in value.Split((byte)';'))
        {
            var text = value[range];
            var offset = range.Start.Value;
            while (!text.IsEmpty && HttpBytes.IsOws(text[0]))
            {
                text = text[1..];
                offset++;
            }
            text = HttpBytes.TrimOws(text);
            if (text.Length > name.Length && text[name.Length] == '=' && text.StartsWith(name))
            {
                pair = new ByteRange(valueStart + offset, text.Length);
                return new ByteRange(valueStart + offset + name.Length + 1, text.Length - name.Length - 1);
            }
        }
        pair = default;
        return default;
    }

    /// <summary>Sorts a header name into the few the proxy acts on; dispatch on length keeps it cheap.</summary>
    internal static KnownHeader Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when Ascii.EqualsIgnoreCase(name, "TE"u8) => KnownHeader.TE,
        4 when Ascii.EqualsIgnoreCase(name, "Host"u8) => KnownHeader.Host,
        6 when Ascii.EqualsIgnoreCase(name, "Cookie"u8) => KnownHeader.Cookie,
        6 when Ascii.EqualsIgnoreCase(name, "Expect"u8) => KnownHeader.Expect,
        7 when Ascii.EqualsIgnoreCase(name, "Upgrade"u8) => KnownHeader.Upgrade,
        7 when Ascii.EqualsIgnoreCase(name, "Trailer"u8) => KnownHeader.Trailer,
        7 when Ascii.EqualsIgnoreCase(name, "Sozu-Id"u8) => KnownHeader.SozuId,
        9 when Ascii.EqualsIgnoreCase(name, "Forwarded"u8) => KnownHeader.Forwarded,
        10 when Ascii.EqualsIgnoreCase(name, "Connection"u8) => KnownHeader.Connection,
        10 when Ascii.EqualsIgnoreCase(name, "Keep-Alive"u8) => KnownHeader.KeepAlive,
        14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => KnownHeader.ContentLength,
        14 when Ascii.EqualsIgnoreCase(name, "HTTP2-Settings"u8) => KnownHeader.Http2Settings,
        15 when Ascii.EqualsIgnoreCase(name, "X-Forwarded-For"u8) => KnownHeader.XForwardedFor,
        16 when Ascii.EqualsIgnoreCase(name, "Proxy-Connection"u8) => KnownHeader.ProxyConnection,
        16 when Ascii.EqualsIgnoreCase(name, "X-Forwarded-Port"u8) => KnownHeader.XForwardedPort,
        17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => KnownHeader.TransferEncoding,
        17 when Ascii.EqualsIgnoreCase(name, "X-Forwarded-Proto"u8) => KnownHeader.XForwardedProto,
        25 when Ascii.EqualsIgnoreCase(name, "Strict-Transport-Security"u8) => KnownHeader.StrictTransportSecurity,
        _ => KnownHeader.Other,
    };
}
