using Sozu.Net.ProxyProtocol;

namespace Sozu.Fuzz.Targets;

/// <summary>The PROXY protocol header parser (<see cref="ProxyHeaderParser"/>) on the first bytes of a connection.</summary>
public sealed class ProxyHeaderTarget : FuzzTarget
{
    public override string Name => "proxy-header";

    public override string Checks =>
        "no exception; a Complete header lies within the input (a v1 line ends in CRLF and is at most 107 bytes, a v2 header is 16 bytes plus its length field); "
        + "every prefix is NeedMore or already the whole input's verdict (Complete with the same length and addresses, or Invalid); "
        + "addresses written back by ProxyHeaderWriter (v2, and v1) parse to the same addresses";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var whole = ProxyHeaderParser.Parse(input);
        Invariant.That(Enum.IsDefined(whole.Status), "the status is a ProxyParseStatus");
        switch (whole.Status)
        {
            case ProxyParseStatus.NeedMore:
                if (input.StartsWith("PROXY "u8))
                {
                    Invariant.That(input.Length < ProxyHeaderParser.V1MaxLength, "a v1 line waits for no more than 107 bytes");
                }
                else if (input.Length >= ProxyHeaderParser.V2FixedLength)
                {
                    var declared = (input[14] << 8) | input[15];
                    Invariant.That(input.Length < ProxyHeaderParser.V2FixedLength + declared, "a v2 header waits for no more than its length field says");
                }
                break;
            case ProxyParseStatus.Invalid:
                Invariant.That(whole.Error != ProxyHeaderError.None, "Invalid names its reason");
                break;
            case ProxyParseStatus.Complete:
                CheckComplete(input, whole);
                break;
        }

        // Prefixes: a header is decided by its own bytes only, never by what follows it.
        var end = whole.Status == ProxyParseStatus.Complete ? whole.Length : input.Length;
        var step = end <= 256 ? 1 : end / 64;
        for (var length = 0; length < end; length += step)
        {
            var prefix = ProxyHeaderParser.Parse(input[..length]);
            if (prefix.Status == ProxyParseStatus.NeedMore)
            {
                continue;
            }
            if (prefix.Status != whole.Status)
            {
                Invariant.Fail($"the first {length} bytes: {prefix}, the whole input: {whole}");
            }
            if (prefix.Status == ProxyParseStatus.Complete)
            {
                Invariant.Fail($"a header of {whole.Length} bytes was complete after {length}");
            }
        }
    }

    private static void CheckComplete(ReadOnlySpan<byte> input, in ProxyParseResult whole)
    {
        var header = whole.Header;
        Invariant.That(whole.Length > 0 && whole.Length <= input.Length, "a complete header lies within the input");
        Invariant.That(header.Version is 1 or 2, "the version is 1 or 2");
        if (header.Version == 1)
        {
            Invariant.That(whole.Length <= ProxyHeaderParser.V1MaxLength, "a v1 line is at most 107 bytes");
            Invariant.That(input[(whole.Length - 2)..whole.Length].SequenceEqual("\r\n"u8), "a v1 line ends in CRLF");
        }
        else
        {
            var declared = (input[14] << 8) | input[15];
            Invariant.That(whole.Length == ProxyHeaderParser.V2FixedLength + declared, "a v2 header is 16 bytes plus its length field");
        }

        // The bytes after the header are the next protocol's: they change nothing.
        var alone = ProxyHeaderParser.Parse(input[..whole.Length]);
        Invariant.That(alone.Status == ProxyParseStatus.Complete && alone.Length == whole.Length, "the header alone parses the same");

        if (!header.HasAddresses)
        {
            Invariant.That(header.Source.IsEmpty && header.Destination.IsEmpty, "no addresses means empty addresses");
            return;
        }
        Invariant.That(header.Source.IsIPv4 == header.Destination.IsIPv4, "both addresses have one family");
        Span<byte> written = stackalloc byte[ProxyHeaderParser.V1MaxLength + ProxyHeaderWriter.V2MaxLength];
        var v2 = ProxyHeaderWriter.WriteV2(written, header.Source, header.Destination);
        CheckRoundTrip(written[..v2], header, 2);
        var v1 = ProxyHeaderWriter.WriteV1(written, header.Source, header.Destination);
        CheckRoundTrip(written[..v1], header, 1);
    }

    private static void CheckRoundTrip(ReadOnlySpan<byte> written, in ProxyHeader header, int version)
    {
        var again = ProxyHeaderParser.Parse(written);
        if (again.Status != ProxyParseStatus.Complete || again.Length != written.Length || again.Header.Version != version
            || !again.Header.HasAddresses || again.Header.Source != header.Source || again.Header.Destination != header.Destination)
        {
            Invariant.Fail($"v{version} written from {header.Source} -> {header.Destination} parses as {again}");
        }
    }
}
