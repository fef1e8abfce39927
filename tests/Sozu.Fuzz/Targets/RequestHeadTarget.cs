using System.Text;
using Sozu.Net.Http1.Parsing;

namespace Sozu.Fuzz.Targets;

/// <summary>The HTTP/1.1 request head parser (<see cref="Http1Parser.ParseRequestHead"/>) on raw client bytes.</summary>
public sealed class RequestHeadTarget : FuzzTarget
{
    // Small limits, so that the fuzzer reaches the 431 paths with inputs it can mutate quickly.
    private const int MaxHeaders = 12;
    private const int MaxHeadLength = 1024;
    private const string StickyCookieName = "SOZUBALANCEID";

    public override string Name => "request-head";

    public override string Checks =>
        "no exception; a Complete head's ranges (method, target, path, query, authority, Host, headers, sticky cookie) lie within it "
        + "and agree with the bytes; body framing is consistent; every prefix is Incomplete or has the whole input's verdict and head";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var head = new RequestHead(StickyCookieName, MaxHeaders, MaxHeadLength);
        var status = Http1Parser.ParseRequestHead(input, head);
        Invariant.That(Enum.IsDefined(status), "the status is a ParseStatus");
        var described = status == ParseStatus.Complete ? Describe(input, head) : "";
        if (status == ParseStatus.Complete)
        {
            HeadChecks.CompleteHead(input, head);
            CompleteRequest(input, head);
        }

        var bytes = input.ToArray();
        var prefixHead = new RequestHead(StickyCookieName, MaxHeaders, MaxHeadLength);
        HeadChecks.Prefixes(input, length =>
        {
            var prefix = bytes.AsSpan(0, length);
            var prefixStatus = Http1Parser.ParseRequestHead(prefix, prefixHead);
            return (prefixStatus, prefixStatus == ParseStatus.Complete ? Describe(prefix, prefixHead) : "");
        }, status, described);
    }

    private static void CompleteRequest(ReadOnlySpan<byte> input, RequestHead head)
    {
        var skipped = input[..head.HeadStart];
        Invariant.That(skipped.Length % 2 == 0 && skipped.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0, "only empty lines are skipped before the request line");
        Invariant.That(!input[head.HeadStart..].StartsWith("\r\n"u8), "every leading empty line is skipped");

        var whole = new ByteRange(head.HeadStart, head.HeadEnd - head.HeadStart);
        Invariant.That(head.Method.Start == head.HeadStart && HeadChecks.IsToken(head.Method.Of(input)), "the method is a token at the start of the head");
        Invariant.That(head.IsHeadMethod == head.Method.Of(input).SequenceEqual("HEAD"u8), "IsHeadMethod means the method is HEAD");
        Invariant.That(head.Target.Start == head.Method.End + 1 && !head.Target.IsEmpty && HeadChecks.Within(head.Target, whole), "the target follows the method");
        var target = head.Target.Of(input);
        Invariant.That(target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0 && !target.Contains((byte)'#'), "the target is visible ASCII without a fragment");
        var version = input.Slice(head.Target.End, 10);
        Invariant.That(version.SequenceEqual(head.Version == HttpVersion.Http11 ? " HTTP/1.1\r"u8 : " HTTP/1.0\r"u8), "the version after the target is the one parsed");

        Invariant.That(HeadChecks.Within(head.Path, head.Target), "the path lies within the target");
        Invariant.That(!head.Path.IsEmpty || !head.Authority.IsEmpty, "only an absolute-form target may have an empty path");
        Invariant.That(HeadChecks.Within(head.Query, head.Target), "the query lies within the target");
        Invariant.That(head.Query.IsEmpty || input[head.Query.Start - 1] == '?', "a query follows a '?'");
        Invariant.That(HeadChecks.Within(head.PathAndQuery, head.Target), "path and query lie within the target");
        Invariant.That(head.Path.Of(input).IndexOf((byte)'?') < 0, "the path holds no '?'");
        if (!head.Authority.IsEmpty)
        {
            Invariant.That(HeadChecks.Within(head.Authority, head.Target), "the authority lies within the target");
            Invariant.That(Ascii.EqualsIgnoreCase(target[..Math.Min(7, target.Length)], "http://"u8) || Ascii.EqualsIgnoreCase(target[..Math.Min(8, target.Length)], "https://"u8), "an authority comes from an absolute http(s) URI");
        }
        else
        {
            Invariant.That(target[0] == '/' || (target.SequenceEqual("*"u8) && head.Method.Of(input).SequenceEqual("OPTIONS"u8)), "a target without authority is origin-form, or * for OPTIONS");
        }

        if (head.Version == HttpVersion.Http11)
        {
            Invariant.That(!head.Host.IsEmpty, "an HTTP/1.1 request has a Host");
        }
        if (!head.Host.IsEmpty)
        {
            Invariant.That(HeadChecks.WithinSomeValue(head, head.Host, KnownHeader.Host), "Host lies within a Host header's value");
        }
        Invariant.That(!head.RoutingHost.IsEmpty || head.Version == HttpVersion.Http10, "a 1.1 request always has a host to route on");
        Invariant.That(head.Body != BodyKind.CloseDelimited, "a request body is never close-delimited");
        Invariant.That(head.Body != BodyKind.Chunked || head.Version == HttpVersion.Http11, "a chunked request is HTTP/1.1");

        if (head.StickyCookieHeader >= 0)
        {
            Invariant.That(head.StickyCookieHeader < head.Headers.Length && head.Headers[head.StickyCookieHeader].Kind == KnownHeader.Cookie, "the sticky cookie's header is a Cookie line");
            var cookieLine = head.Headers[head.StickyCookieHeader];
            Invariant.That(HeadChecks.Within(head.StickyCookiePair, new ByteRange(cookieLine.ValueStart, cookieLine.ValueLength)), "the sticky cookie pair lies within its Cookie value");
            Invariant.That(HeadChecks.Within(head.StickyCookie, head.StickyCookiePair), "the sticky cookie value lies within its pair");
            var pair = head.StickyCookiePair.Of(input);
            Invariant.That(pair.StartsWith("SOZUBALANCEID="u8) && pair[(StickyCookieName.Length + 1)..].SequenceEqual(head.StickyCookie.Of(input)), "the pair is name=value of the sticky cookie");
        }
        else
        {
            Invariant.That(head.StickyCookie.IsEmpty && head.StickyCookiePair.IsEmpty, "no sticky cookie without its Cookie line");
        }
    }

    private static string Describe(ReadOnlySpan<byte> input, RequestHead head) =>
        new StringBuilder(HeadChecks.Describe(input, head))
            .Append(head.Method).Append(head.Target).Append(head.Path).Append(head.Query).Append(head.Authority).Append(head.Host)
            .Append(head.ExpectContinue).Append(head.StickyCookie).Append(head.StickyCookiePair).Append(head.StickyCookieHeader)
            .ToString();
}
