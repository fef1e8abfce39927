using System.Buffers.Binary;
using Sozu.Net.Sockets;

namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// The PROXY protocol header (HAProxy's proxy-protocol.txt), v1 text and v2 binary, parsed from
/// the start of a span without allocating. Incremental by re-parsing: feed the bytes received so
/// far; <see cref="ProxyParseStatus.NeedMore"/> means every byte fits a header and more are
/// needed, so read more and call again with the longer span (a header is at most 107 bytes in
/// v1, 16 + length in v2, so re-parsing costs less than keeping state). A v2 header's TLVs are
/// checked for structure and skipped. Garbage is refused as soon as a byte rules a header out.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>The longest v1 line, CRLF included (the specification's limit).</summary>
    public const int V1MaxLength = 107;

    /// <summary>The fixed part of a v2 header: signature, version/command, family, length.</summary>
    public const int V2FixedLength = 16;

    private const byte CommandLocal = 0x0;
    private const byte CommandProxy = 0x1;
    private const int Inet4BlockLength = 12;
    private const int Inet6BlockLength = 36;
    private const int UnixBlockLength = 216;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static ProxyParseResult Parse(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return ProxyParseResult.NeedMore;
        }
        return input[0] switch
        {
            (byte)'P' => StartsLike(input, V1Prefix) ? ParseV1(input) : ProxyParseResult.Invalid(ProxyHeaderError.BadSignature),
            0x0D => StartsLike(input, V2Signature) ? ParseV2(input) : ProxyParseResult.Invalid(ProxyHeaderError.BadSignature),
            _ => ProxyParseResult.Invalid(ProxyHeaderError.BadSignature),
        };
    }

    /// <summary>The input's first bytes (as many as it has, up to the signature's length) are the signature's.</summary>
    private static bool StartsLike(ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        var n = Math.Min(input.Length, signature.Length);
        return input[..n].SequenceEqual(signature[..n]);
    }

    private static ProxyParseResult ParseV1(ReadOnlySpan<byte> input)
    {
        if (input.Length <= V1Prefix.Length)
        {
            return ProxyParseResult.NeedMore;
        }
        var window = input[..Math.Min(input.Length, V1MaxLength)];
        var lf = window.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return input.Length >= V1MaxLength ? ProxyParseResult.Invalid(ProxyHeaderError.TooLong) : ProxyParseResult.NeedMore;
        }
        if (input[lf - 1] != '\r')
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadV1Line);
        }
        var length = lf + 1;
        var line = input[V1Prefix.Length..(lf - 1)];
        if (line.StartsWith("UNKNOWN"u8) && (line.Length == 7 || line[7] == ' '))
        {
            // The sender could not tell the addresses (the specification allows anything after it).
            return ProxyParseResult.Complete(length, new ProxyHeader(1, false, default, default));
        }
        bool v6;
        if (line.StartsWith("TCP4 "u8))
        {
            v6 = false;
        }
        else if (line.StartsWith("TCP6 "u8))
        {
            v6 = true;
        }
        else
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadV1Line);
        }
        var rest = line[5..];
        if (!NextField(ref rest, out var sourceText) || !NextField(ref rest, out var destinationText)
            || !NextField(ref rest, out var sourcePortText) || !LastField(rest, out var destinationPortText))
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadV1Line);
        }
        if (!IpText.TryParsePort(sourcePortText, out var sourcePort) || !IpText.TryParsePort(destinationPortText, out var destinationPort))
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadPort);
        }
        Span<byte> source = stackalloc byte[16];
        Span<byte> destination = stackalloc byte[16];
        if (v6)
        {
            if (!IpText.TryParseIPv6(sourceText, source) || !IpText.TryParseIPv6(destinationText, destination))
            {
                return ProxyParseResult.Invalid(ProxyHeaderError.BadAddress);
            }
            return ProxyParseResult.Complete(length, new ProxyHeader(1, true, NativeAddress.FromIPv6(source, sourcePort), NativeAddress.FromIPv6(destination, destinationPort)));
        }
        if (!IpText.TryParseIPv4(sourceText, source) || !IpText.TryParseIPv4(destinationText, destination))
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadAddress);
        }
        return ProxyParseResult.Complete(length, new ProxyHeader(1, true, NativeAddress.FromIPv4(source, sourcePort), NativeAddress.FromIPv4(destination, destinationPort)));
    }

    /// <summary>A non-empty field up to the next single space; the rest after it.</summary>
    private static bool NextField(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> field)
    {
        var space = rest.IndexOf((byte)' ');
        if (space <= 0)
        {
            field = default;
            return false;
        }
        field = rest[..space];
        rest = rest[(space + 1)..];
        return true;
    }

    private static bool LastField(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> field)
    {
        field = rest;
        return !rest.IsEmpty && !rest.Contains((byte)' ');
    }

    private static ProxyParseResult ParseV2(ReadOnlySpan<byte> input)
    {
        if (input.Length <= V2Signature.Length)
        {
            return ProxyParseResult.NeedMore;
        }
        var versionCommand = input[12];
        if (versionCommand >> 4 != 2)
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadVersion);
        }
        var command = (byte)(versionCommand & 0x0F);
        if (command > CommandProxy)
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadCommand);
        }
        // LOCAL: the receiver must ignore the family and the address block (the specification).
        var blockLength = 0;
        var hasAddresses = false;
        if (command == CommandProxy && input.Length > 13)
        {
            switch (input[13])
            {
                case 0x00:
                    // UNSPEC: the sender knows no addresses; the socket's own are kept.
                    break;
                case 0x11:
                    blockLength = Inet4BlockLength;
                    hasAddresses = true;
                    break;
                case 0x21:
                    blockLength = Inet6BlockLength;
                    hasAddresses = true;
                    break;
                case 0x31:
                    // AF_UNIX stream: no IP to take; the socket's own addresses are kept.
                    blockLength = UnixBlockLength;
                    break;
                default:
                    // Unknown values, and datagram transports on this stream connection.
                    return ProxyParseResult.Invalid(ProxyHeaderError.BadFamily);
            }
        }
        if (input.Length < V2FixedLength)
        {
            return ProxyParseResult.NeedMore;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(input.Slice(14, 2));
        if (length < blockLength)
        {
            return ProxyParseResult.Invalid(ProxyHeaderError.BadLength);
        }
        var total = V2FixedLength + length;
        if (input.Length < total)
        {
            return ProxyParseResult.NeedMore;
        }
        if (command == CommandLocal)
        {
            return ProxyParseResult.Complete(total, new ProxyHeader(2, false, default, default));
        }
        var header = input[..total];
        for (var at = V2FixedLength + blockLength; at < total;)
        {
            // Type (1), length (2), value: skipped, but it must end within the header.
            if (total - at < 3)
            {
                return ProxyParseResult.Invalid(ProxyHeaderError.BadTlv);
            }
            at += 3 + BinaryPrimitives.ReadUInt16BigEndian(header.Slice(at + 1, 2));
            if (at > total)
            {
                return ProxyParseResult.Invalid(ProxyHeaderError.BadTlv);
            }
        }
        if (!hasAddresses)
        {
            return ProxyParseResult.Complete(total, new ProxyHeader(2, false, default, default));
        }
        var block = header[V2FixedLength..];
        if (blockLength == Inet4BlockLength)
        {
            return ProxyParseResult.Complete(total, new ProxyHeader(
                2,
                true,
                NativeAddress.FromIPv4(block[..4], BinaryPrimitives.ReadUInt16BigEndian(block.Slice(8, 2))),
                NativeAddress.FromIPv4(block.Slice(4, 4), BinaryPrimitives.ReadUInt16BigEndian(block.Slice(10, 2)))));
        }
        return ProxyParseResult.Complete(total, new ProxyHeader(
            2,
            true,
            NativeAddress.FromIPv6(block[..16], BinaryPrimitives.ReadUInt16BigEndian(block.Slice(32, 2))),
            NativeAddress.FromIPv6(block.Slice(16, 16), BinaryPrimitives.ReadUInt16BigEndian(block.Slice(34, 2)))));
    }
}
