using Sozu.Net.Http1.Parsing;

namespace Sozu.Fuzz.Targets;

/// <summary>The chunked body scanner (<see cref="ChunkedBodyScanner"/>) on the bytes after a chunked head.</summary>
public sealed class ChunkedBodyTarget : FuzzTarget
{
    public override string Name => "chunked-body";

    public override string Checks =>
        "no exception; consumed is all the bytes for NeedMore, ends on the final CRLF for Done, is the offending byte's offset for Invalid; "
        + "Done and Invalid are final; the input split at any point, or fed one byte at a time, gives the same verdict at the same offset";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var scanner = default(ChunkedBodyScanner);
        var status = scanner.Scan(input, out var consumed);
        Invariant.That(Enum.IsDefined(status), "the status is a ChunkedScanStatus");
        switch (status)
        {
            case ChunkedScanStatus.NeedMore:
                Invariant.That(consumed == input.Length && !scanner.IsDone, "NeedMore consumes every byte");
                break;
            case ChunkedScanStatus.Done:
                Invariant.That(consumed >= 5 && consumed <= input.Length && scanner.IsDone, "Done consumes at least \"0\\r\\n\\r\\n\" and no more than given");
                Invariant.That(input[(consumed - 4)..consumed].SequenceEqual("\r\n\r\n"u8), "a chunked body ends with an empty line");
                break;
            case ChunkedScanStatus.Invalid:
                Invariant.That(consumed >= 0 && consumed < input.Length && !scanner.IsDone, "Invalid points at a byte of the input");
                break;
        }
        if (status != ChunkedScanStatus.NeedMore)
        {
            var again = scanner.Scan("0\r\n\r\n"u8, out var more);
            Invariant.That(again == status && more == 0, "Done and Invalid are final");
        }

        foreach (var split in SplitPoints(input.Length))
        {
            var (splitStatus, splitConsumed) = ScanSplit(input, split);
            if (splitStatus != status || splitConsumed != consumed)
            {
                Invariant.Fail($"split at {split}: {splitStatus} at {splitConsumed}, whole: {status} at {consumed}");
            }
        }
        var (byteStatus, byteConsumed) = ScanByteByByte(input);
        if (byteStatus != status || byteConsumed != consumed)
        {
            Invariant.Fail($"one byte at a time: {byteStatus} at {byteConsumed}, whole: {status} at {consumed}");
        }
    }

    private static (ChunkedScanStatus, int) ScanSplit(ReadOnlySpan<byte> input, int split)
    {
        var scanner = default(ChunkedBodyScanner);
        var first = scanner.Scan(input[..split], out var consumed);
        if (first != ChunkedScanStatus.NeedMore)
        {
            return (first, consumed);
        }
        if (consumed != split)
        {
            Invariant.Fail($"NeedMore on the first {split} bytes consumed {consumed}");
        }
        var second = scanner.Scan(input[split..], out var rest);
        return (second, split + rest);
    }

    private static (ChunkedScanStatus, int) ScanByteByByte(ReadOnlySpan<byte> input)
    {
        var scanner = default(ChunkedBodyScanner);
        var status = ChunkedScanStatus.NeedMore;
        var offset = 0;
        while (offset < input.Length)
        {
            status = scanner.Scan(input.Slice(offset, 1), out var consumed);
            offset += consumed;
            if (status != ChunkedScanStatus.NeedMore)
            {
                break;
            }
        }
        return (status, offset);
    }

    /// <summary>Every split of a short input; for a long one, 64 spread evenly.</summary>
    private static IEnumerable<int> SplitPoints(int length)
    {
        if (length <= 512)
        {
            for (var i = 0; i <= length; i++)
            {
                yield return i;
            }
            yield break;
        }
        for (var i = 0; i <= 64; i++)
        {
            yield return (int)((long)length * i / 64);
        }
    }
}
