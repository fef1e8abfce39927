using System.Text;
using Sozu.Net.Http1.Parsing;

namespace Sozu.Fuzz.Targets;

/// <summary>What every parsed head promises, request or response: shared by the two head targets.</summary>
internal static class HeadChecks
{
    private static readonly byte[] TokenBytes = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8.ToArray();

    /// <summary>The head's bounds, its header table and its body framing agree with the bytes.</summary>
    public static void CompleteHead(ReadOnlySpan<byte> input, MessageHead head)
    {
        Invariant.That(head.HeadStart >= 0 && head.HeadStart < head.HeadEnd && head.HeadEnd <= input.Length, "the head lies within the input");
        Invariant.That(head.HeadEnd <= head.MaxHeadLength, "a complete head is no longer than the limit");
        Invariant.That(head.HeadEnd - head.HeadStart >= 4 && input[(head.HeadEnd - 4)..head.HeadEnd].SequenceEqual("\r\n\r\n"u8), "a head ends with CRLF CRLF");
        Invariant.That(head.Headers.Length <= head.MaxHeaders, "no more headers than the limit");

        var previousEnd = head.HeadStart;
        foreach (var header in head.Headers)
        {
            Invariant.That(header.NameStart > previousEnd && header.NameLength > 0, "header lines follow one another after the start line");
            Invariant.That(header.ValueStart >= header.NameStart + header.NameLength + 1 && header.ValueLength >= 0, "a value follows its name");
            var valueEnd = header.ValueStart + header.ValueLength;
            Invariant.That(valueEnd <= head.HeadEnd - 4, "a header value lies before the blank line");
            var name = header.Name(input);
            Invariant.That(IsToken(name), "a header name is a token");
            Invariant.That(input[header.NameStart + header.NameLength] == ':', "a header name is followed by a colon");
            var value = header.Value(input);
            Invariant.That(!value.ContainsAny((byte)'\r', (byte)'\n', (byte)0), "a header value holds no CR, LF or NUL");
            Invariant.That(value.IsEmpty || (!IsOws(value[0]) && !IsOws(value[^1])), "a header value is trimmed");
            var afterValue = input[valueEnd..];
            var lineEnd = afterValue.IndexOfAnyExcept((byte)' ', (byte)'\t');
            Invariant.That(lineEnd >= 0 && afterValue[lineEnd..].StartsWith("\r\n"u8), "only whitespace lies between a value and its CRLF");
            CheckKind(name, header.Kind, "Content-Length"u8, KnownHeader.ContentLength);
            CheckKind(name, header.Kind, "Transfer-Encoding"u8, KnownHeader.TransferEncoding);
            CheckKind(name, header.Kind, "Host"u8, KnownHeader.Host);
            CheckKind(name, header.Kind, "Connection"u8, KnownHeader.Connection);
            CheckKind(name, header.Kind, "Cookie"u8, KnownHeader.Cookie);
            previousEnd = valueEnd;
        }

        Invariant.That(head.IsChunked == false || head.HasTransferEncoding, "chunked implies a Transfer-Encoding");
        Invariant.That(head.HasTransferEncoding == HasHeader(head, KnownHeader.TransferEncoding), "HasTransferEncoding matches the header table");
        Invariant.That(head.ContentLength < 0 == !HasHeader(head, KnownHeader.ContentLength), "ContentLength is set exactly when a Content-Length header is present");
        if (!head.Upgrade.IsEmpty)
        {
            Invariant.That(WithinSomeValue(head, head.Upgrade, KnownHeader.Upgrade), "Upgrade lies within an Upgrade header's value");
        }
        switch (head.Body)
        {
            case BodyKind.Chunked:
                Invariant.That(head.IsChunked && head.ContentLength < 0 && head.Version == HttpVersion.Http11, "a chunked body: chunked last, no Content-Length, HTTP/1.1");
                break;
            case BodyKind.ContentLength:
                Invariant.That(head.ContentLength > 0 && !head.HasTransferEncoding, "a Content-Length body has a positive length and no Transfer-Encoding");
                break;
        }
    }

    /// <summary>
    /// Heads arrive split anywhere: a prefix of the input is Incomplete or already has the
    /// verdict of the whole (the same head when Complete), and once decided it never changes.
    /// </summary>
    public static void Prefixes(ReadOnlySpan<byte> input, Func<int, (ParseStatus Status, string Head)> parsePrefix, ParseStatus wholeStatus, string wholeHead)
    {
        var decided = false;
        foreach (var length in PrefixLengths(input.Length))
        {
            var (status, head) = parsePrefix(length);
            if (status == ParseStatus.Incomplete)
            {
                if (decided)
                {
                    Invariant.Fail($"a prefix of {length} bytes is Incomplete after a shorter one was decided");
                }
                continue;
            }
            decided = true;
            if (status == ParseStatus.Complete)
            {
                if (wholeStatus != ParseStatus.Complete || !string.Equals(head, wholeHead, StringComparison.Ordinal))
                {
                    Invariant.Fail($"a prefix of {length} bytes is Complete with another head than the whole input ({wholeStatus}):\n{head}\nvs\n{wholeHead}");
                }
            }
            else if (wholeStatus is not (ParseStatus.Invalid or ParseStatus.TooLarge))
            {
                // Invalid and TooLarge both close the connection: a longer input may turn one into the other.
                Invariant.Fail($"a prefix of {length} bytes is {status} but the whole input is {wholeStatus}");
            }
        }
    }

    /// <summary>Every prefix of a short input; for a long one, 200 spread evenly (re-parsing is quadratic).</summary>
    private static IEnumerable<int> PrefixLengths(int length)
    {
        if (length <= 512)
        {
            for (var i = 0; i < length; i++)
            {
                yield return i;
            }
            yield break;
        }
        for (var i = 0; i < 200; i++)
        {
            yield return (int)((long)length * i / 200);
        }
    }

    public static string Describe(ReadOnlySpan<byte> input, MessageHead head)
    {
        var text = new StringBuilder();
        text.Append(head.HeadStart).Append('-').Append(head.HeadEnd).Append(' ').Append(head.Version).Append(' ').Append(head.Body)
            .Append(" cl=").Append(head.ContentLength).Append(" te=").Append(head.HasTransferEncoding).Append('/').Append(head.IsChunked)
            .Append(" conn=").Append(head.Connection).Append(" upgrade=").Append(head.Upgrade).Append('\n');
        foreach (var header in head.Headers)
        {
            text.Append(header).Append(' ').Append(Convert.ToHexString(header.Value(input))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>An empty range is an absent field (the default value), so it is within anything.</summary>
    public static bool Within(ByteRange inner, ByteRange outer) =>
        inner.Length == 0 || (inner.Start >= outer.Start && inner.Length > 0 && inner.End <= outer.End);

    public static bool IsToken(ReadOnlySpan<byte> bytes) => !bytes.IsEmpty && bytes.IndexOfAnyExcept(TokenBytes) < 0;

    private static bool IsOws(byte b) => b is (byte)' ' or (byte)'\t';

    public static bool WithinSomeValue(MessageHead head, ByteRange range, KnownHeader kind)
    {
        foreach (var header in head.Headers)
        {
            if (header.Kind == kind && Within(range, new ByteRange(header.ValueStart, header.ValueLength)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasHeader(MessageHead head, KnownHeader kind)
    {
        foreach (var header in head.Headers)
        {
            if (header.Kind == kind)
            {
                return true;
            }
        }
        return false;
    }

    private static void CheckKind(ReadOnlySpan<byte> name, KnownHeader kind, ReadOnlySpan<byte> known, KnownHeader expected)
    {
        if (Ascii.EqualsIgnoreCase(name, known) != (kind == expected))
        {
            Invariant.Fail($"a header named {Encoding.ASCII.GetString(name)} is classified {kind}");
        }
    }
}
