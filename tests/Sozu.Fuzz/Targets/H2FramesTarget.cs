using Sozu.Net.Http2.Frames;
using Sozu.Net.Http2.Hpack;

namespace Sozu.Fuzz.Targets;

/// <summary>
/// The HTTP/2 frame reader (<see cref="FrameReader"/>) on a connection's bytes after the preface,
/// with every complete field block (HEADERS or PUSH_PROMISE and its CONTINUATIONs) given to the
/// connection's <see cref="HpackDecoder"/>, as the session will.
/// </summary>
public sealed class H2FramesTarget : FuzzTarget
{
    private const int MaxFieldBlock = 1 << 16;

    public override string Name => "h2-frames";

    public override string Checks =>
        "no exception; the first byte picks the reader's role (even: server, odd: client with push); a frame, stream error or need-more never reaches past the input; "
        + "a connection error names a violation and a code other than NO_ERROR, a stream error the frame's own non-zero stream; "
        + "every accepted frame of a known type, written back by FrameWriter, reads the same; field blocks decode or fail with an HpackError, the table within its capacity";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        var client = (input[0] & 1) != 0;
        var reader = new FrameReader(client ? Http2Role.Client : Http2Role.Server, pushEnabled: client);
        var decoder = new HpackDecoder(maxTableSize: 4096, maxHeaderListSize: 16_384);
        var block = new byte[MaxFieldBlock];
        var blockLength = 0;
        var rest = input[1..];
        // Each turn consumes at least a frame header, so the loop ends.
        while (true)
        {
            var status = reader.Read(rest, out var frame, out var error);
            switch (status)
            {
                case FrameReadStatus.NeedMore:
                    Invariant.That(rest.Length < FrameHeader.Size || rest.Length < FrameHeader.Size + FrameHeader.Read(rest).Length, "need-more only when a frame is incomplete");
                    return;
                case FrameReadStatus.ConnectionError:
                    Invariant.That(error.Scope == ErrorScope.Connection && error.Code != Http2ErrorCode.NoError && error.Violation != FrameViolation.None, "a connection error has a code and a reason");
                    return;
                case FrameReadStatus.StreamError:
                    Invariant.That(error.Scope == ErrorScope.Stream && error.StreamId != 0 && error.StreamId == frame.StreamId, "a stream error names the frame's stream");
                    Invariant.That(frame.TotalLength <= rest.Length, "a stream error's frame lies within the input");
                    break;
                case FrameReadStatus.Frame:
                    Invariant.That(frame.TotalLength <= rest.Length && frame.Header.Length <= reader.MaxFrameSize, "a frame lies within the input and the frame size");
                    CheckRewrite(frame, client);
                    break;
                default:
                    Invariant.Fail($"status {status}");
                    return;
            }
            if (frame.Type is FrameType.Headers or FrameType.PushPromise or FrameType.Continuation)
            {
                if (frame.Type != FrameType.Continuation)
                {
                    blockLength = 0;
                }
                var take = Math.Min(frame.Content.Length, block.Length - blockLength);
                frame.Content[..take].CopyTo(block.AsSpan(blockLength));
                blockLength += take;
                if (frame.IsEndHeaders)
                {
                    DecodeBlock(decoder, block.AsSpan(0, blockLength));
                }
            }
            rest = rest[frame.TotalLength..];
        }
    }

    private static void DecodeBlock(HpackDecoder decoder, ReadOnlySpan<byte> block)
    {
        var sink = new CountingVisitor();
        var error = decoder.Decode(block, ref sink);
        Invariant.That(Enum.IsDefined(error), "the result is an HpackError");
        Invariant.That(decoder.TableSize <= decoder.TableCapacity && decoder.TableCapacity <= decoder.MaxTableSizeLimit, "the table stays within its capacity and limit");
        Invariant.That(sink.ListSize <= decoder.MaxHeaderListSize, "the visitor never hears more than the list limit");
    }

    /// <summary>The frame written back by the writer for its type reads as the same frame.</summary>
    private static void CheckRewrite(Http2Frame frame, bool client)
    {
        var buffer = new byte[FrameHeader.Size + frame.Header.Length + 16];
        int written;
        byte? pad = frame.Header.HasFlag(FrameFlags.Padded) ? (byte)frame.PadLength : null;
        switch (frame.Type)
        {
            case FrameType.Data:
                written = FrameWriter.WriteData(buffer, frame.StreamId, frame.Content, frame.IsEndStream, pad);
                break;
            case FrameType.Headers:
                written = FrameWriter.WriteHeaders(buffer, frame.StreamId, frame.Content, frame.IsEndStream, frame.IsEndHeaders, frame.HasPriority ? frame.Priority : null, pad);
                break;
            case FrameType.Priority:
                written = FrameWriter.WritePriority(buffer, frame.StreamId, frame.Priority);
                break;
            case FrameType.RstStream:
                written = FrameWriter.WriteRstStream(buffer, frame.StreamId, frame.ErrorCode);
                break;
            case FrameType.Settings when frame.IsAck:
                written = FrameWriter.WriteSettingsAck(buffer);
                break;
            case FrameType.Settings:
                var settings = new List<Setting>();
                foreach (var setting in frame.Settings)
                {
                    settings.Add(setting);
                }
                written = FrameWriter.WriteSettings(buffer, settings.ToArray());
                break;
            case FrameType.PushPromise:
                written = FrameWriter.WritePushPromise(buffer, frame.StreamId, frame.PromisedStreamId, frame.Content, frame.IsEndHeaders, pad);
                break;
            case FrameType.Ping:
                written = FrameWriter.WritePing(buffer, frame.OpaqueData, frame.IsAck);
                break;
            case FrameType.GoAway:
                written = FrameWriter.WriteGoAway(buffer, frame.LastStreamId, frame.ErrorCode, frame.Content);
                break;
            case FrameType.WindowUpdate:
                written = FrameWriter.WriteWindowUpdate(buffer, frame.StreamId, frame.WindowIncrement);
                break;
            default:
                // CONTINUATION needs its block open; unknown types have no writer.
                return;
        }
        Invariant.That(written == frame.TotalLength, $"a {frame.Type} frame of {frame.TotalLength} bytes was written back in {written}");
        var again = new FrameReader(client ? Http2Role.Client : Http2Role.Server, pushEnabled: client) { MaxFrameSize = Http2Limits.MaxMaxFrameSize };
        var status = again.Read(buffer.AsSpan(0, written), out var copy, out _);
        Invariant.That(status == FrameReadStatus.Frame, $"a {frame.Type} frame written back reads as {status}");
        Invariant.That(
            copy.Header == frame.Header with { Flags = copy.Header.Flags } && copy.Content.SequenceEqual(frame.Content)
            && copy.PadLength == frame.PadLength && copy.HasPriority == frame.HasPriority && copy.Priority == frame.Priority
            && copy.ErrorCode == frame.ErrorCode && copy.LastStreamId == frame.LastStreamId && copy.PromisedStreamId == frame.PromisedStreamId
            && copy.WindowIncrement == frame.WindowIncrement && copy.IsEndStream == frame.IsEndStream && copy.IsEndHeaders == frame.IsEndHeaders && copy.IsAck == frame.IsAck,
            $"a {frame.Type} frame written back reads differently");
    }

    private struct CountingVisitor : IHpackHeaderVisitor
    {
        public long ListSize;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
            ListSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
    }
}
