using System.Text;
using Sozu.Net.Http1.Parsing;

namespace Sozu.Fuzz.Targets;

/// <summary>The HTTP/1.1 response head parser (<see cref="Http1Parser.ParseResponseHead"/>) on raw backend bytes.</summary>
public sealed class ResponseHeadTarget : FuzzTarget
{
    private const int MaxHeaders = 12;
    private const int MaxHeadLength = 1024;

    public override string Name => "response-head";

    public override string Checks =>
        "no exception; a Complete head's status line and header ranges lie within it and agree with the bytes; body framing follows "
        + "the status (none for 1xx/204/304 and after HEAD); the answer to a HEAD parses to the same head without a body; "
        + "every prefix is Incomplete or has the whole input's verdict and head";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var head = new ResponseHead(MaxHeaders, MaxHeadLength);
        var status = Http1Parser.ParseResponseHead(input, head, requestWasHead: false);
        Invariant.That(Enum.IsDefined(status), "the status is a ParseStatus");
        var described = "";
        if (status == ParseStatus.Complete)
        {
            described = Describe(input, head);
            HeadChecks.CompleteHead(input, head);
            CompleteResponse(input, head);
            AnswerToHead(input, head);
        }

        var bytes = input.ToArray();
        var prefixHead = new ResponseHead(MaxHeaders, MaxHeadLength);
        HeadChecks.Prefixes(input, length =>
        {
            var prefix = bytes.AsSpan(0, length);
            var prefixStatus = Http1Parser.ParseResponseHead(prefix, prefixHead, requestWasHead: false);
            return (prefixStatus, prefixStatus == ParseStatus.Complete ? Describe(prefix, prefixHead) : "");
        }, status, described);
    }

    private static void CompleteResponse(ReadOnlySpan<byte> input, ResponseHead head)
    {
        Invariant.That(head.HeadStart == 0, "a response head starts at the first byte");
        Invariant.That(input.StartsWith(head.Version == HttpVersion.Http11 ? "HTTP/1.1 "u8 : "HTTP/1.0 "u8), "the version is the one parsed");
        Invariant.That(head.StatusCode is >= 100 and <= 599, "the status code is 100-599");
        Invariant.That(input.Slice(9, 3).SequenceEqual(Encoding.ASCII.GetBytes(head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))), "the status code is the three digits after the version");
        if (!head.Reason.IsEmpty)
        {
            Invariant.That(head.Reason.Start == 13 && input[12] == ' ' && head.Reason.End < head.HeadEnd, "the reason follows the code");
            Invariant.That(!head.Reason.Of(input).ContainsAny((byte)'\r', (byte)'\n', (byte)0), "the reason holds no CR, LF or NUL");
        }
        var code = head.StatusCode;
        if (code < 200 || code == 204 || code == 304)
        {
            Invariant.That(head.Body == BodyKind.None, "1xx, 204 and 304 have no body");
        }
        if (head.Body == BodyKind.CloseDelimited)
        {
            Invariant.That(!head.KeepAlive, "a close-delimited body ends the connection");
        }
        Invariant.That(!(head.HasTransferEncoding && head.ContentLength >= 0 && head.Body != BodyKind.None), "a response with a body never has both Transfer-Encoding and Content-Length");
    }

    /// <summary>The same bytes answering a HEAD request: same head, never a body.</summary>
    private static void AnswerToHead(ReadOnlySpan<byte> input, ResponseHead head)
    {
        var again = new ResponseHead(MaxHeaders, MaxHeadLength);
        var status = Http1Parser.ParseResponseHead(input, again, requestWasHead: true);
        Invariant.That(status == ParseStatus.Complete && again.HeadEnd == head.HeadEnd && again.StatusCode == head.StatusCode, "the answer to a HEAD parses to the same head");
        Invariant.That(again.Body == BodyKind.None, "the answer to a HEAD has no body");
    }

    private static string Describe(ReadOnlySpan<byte> input, ResponseHead head) =>
        new StringBuilder(HeadChecks.Describe(input, head))
            .Append(head.StatusCode).Append(head.Reason).Append(head.HasStrictTransportSecurity)
            .ToString();
}
