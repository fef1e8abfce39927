using FsCheck;
using FsCheck.Xunit;
using Sozu.Net.Http2.Frames;
using Xunit;

namespace Sozu.Net.Tests.Http2.Frames;

/// <summary>
/// Every writer's frame reads back as the same frame: type, flags, stream, and each field, and
/// takes exactly the bytes written (a following frame is left alone); every proper prefix of it
/// needs more.
/// </summary>
public class FrameRoundTripPropertyTests
{
    private static readonly byte[] Next = [0, 0, 8, (byte)FrameType.Ping, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];

    private static Http2Frame ReadBack(byte[] buffer, int written, FrameReader? reader = null, bool checkPrefixes = true)
    {
        reader ??= new FrameReader(Http2Role.Server) { MaxFrameSize = Http2Limits.MaxMaxFrameSize };
        if (checkPrefixes)
        {
            var step = Math.Max(1, written / 40);
            for (var length = 0; length < written; length += step)
            {
                Assert.Equal(FrameReadStatus.NeedMore, new FrameReader(reader.Role, reader.PushEnabled) { MaxFrameSize = reader.MaxFrameSize }.Read(buffer.AsSpan(0, length), out _, out _));
            }
        }
        Next.CopyTo(buffer, written);
        var status = reader.Read(buffer.AsSpan(0, written + Next.Length), out var frame, out var error);
        Assert.True(status == FrameReadStatus.Frame, $"{status} {error}");
        Assert.Equal(written, frame.TotalLength);
        return frame;
    }

    private static int OddStream(PositiveInt id) => (id.Get | 1) & int.MaxValue;

    private static byte? Pad(bool padded, byte padLength) => padded ? padLength : null;

    [Property(MaxTest = 200)]
    public void Data_RoundTrips(PositiveInt streamId, byte[] data, bool endStream, bool padded, byte padLength)
    {
        var buffer = new byte[FrameHeader.Size + 256 + data.Length + Next.Length];
        var written = FrameWriter.WriteData(buffer, streamId.Get, data, endStream, Pad(padded, padLength));
        var frame = ReadBack(buffer, written);
        Assert.Equal((FrameType.Data, streamId.Get, endStream, padded ? padLength : 0), (frame.Type, frame.StreamId, frame.IsEndStream, frame.PadLength));
        Assert.Equal(data, frame.Content.ToArray());
    }

    [Property(MaxTest = 200)]
    public void Headers_RoundTrips(PositiveInt streamId, byte[] fragment, bool endStream, bool endHeaders, bool withPriority, NonNegativeInt dependency, bool exclusive, byte weight, bool padded, byte padLength)
    {
        var id = OddStream(streamId);
        var depends = dependency.Get == id ? id + 2 & int.MaxValue : dependency.Get;
        PriorityFields? priority = withPriority ? new PriorityFields(depends, exclusive, weight) : null;
        var buffer = new byte[FrameHeader.Size + 256 + 5 + fragment.Length + Next.Length];
        var written = FrameWriter.WriteHeaders(buffer, id, fragment, endStream, endHeaders, priority, Pad(padded, padLength));
        var reader = new FrameReader(Http2Role.Server) { MaxFrameSize = Http2Limits.MaxMaxFrameSize };
        var frame = ReadBack(buffer, written, reader);
        Assert.Equal((FrameType.Headers, id, endStream, endHeaders), (frame.Type, frame.StreamId, frame.IsEndStream, frame.IsEndHeaders));
        Assert.Equal((withPriority, padded ? padLength : 0), (frame.HasPriority, frame.PadLength));
        if (priority is { } expected)
        {
            Assert.Equal(expected, frame.Priority);
        }
        Assert.Equal(fragment, frame.Content.ToArray());
        Assert.Equal(endHeaders ? 0 : id, reader.OpenFieldBlockStreamId);
    }

    [Property(MaxTest = 100)]
    public void Priority_RoundTrips(PositiveInt streamId, NonNegativeInt dependency, bool exclusive, byte weight)
    {
        var depends = dependency.Get == streamId.Get ? 0 : dependency.Get;
        var buffer = new byte[64];
        var written = FrameWriter.WritePriority(buffer, streamId.Get, new PriorityFields(depends, exclusive, weight));
        var frame = ReadBack(buffer, written);
        Assert.Equal((FrameType.Priority, streamId.Get, new PriorityFields(depends, exclusive, weight)), (frame.Type, frame.StreamId, frame.Priority));
    }

    [Property(MaxTest = 100)]
    public void RstStream_RoundTrips(PositiveInt streamId, uint code)
    {
        var buffer = new byte[64];
        var written = FrameWriter.WriteRstStream(buffer, streamId.Get, (Http2ErrorCode)code);
        var frame = ReadBack(buffer, written);
        Assert.Equal((FrameType.RstStream, streamId.Get, (Http2ErrorCode)code), (frame.Type, frame.StreamId, frame.ErrorCode));
    }

    [Property(MaxTest = 200)]
    public void Settings_RoundTrips(ushort[] ids, uint[] values)
    {
        var count = Math.Min(ids.Length, values.Length);
        var settings = new Setting[count];
        for (var i = 0; i < count; i++)
        {
            // Keep every value legal for its identifier: the reader's checks are tested elsewhere.
            var id = (SettingId)ids[i];
            var value = id switch
            {
                SettingId.EnablePush or SettingId.EnableConnectProtocol => values[i] & 1,
                SettingId.InitialWindowSize => values[i] & int.MaxValue,
                SettingId.MaxFrameSize => Http2Limits.DefaultMaxFrameSize + (values[i] % (Http2Limits.MaxMaxFrameSize - Http2Limits.DefaultMaxFrameSize + 1)),
                _ => values[i],
            };
            settings[i] = new Setting(id, value);
        }
        var buffer = new byte[FrameHeader.Size + (count * Setting.Size) + Next.Length];
        var written = FrameWriter.WriteSettings(buffer, settings);
        var frame = ReadBack(buffer, written);
        var read = new List<Setting>();
        foreach (var setting in frame.Settings)
        {
            read.Add(setting);
        }
        Assert.Equal((FrameType.Settings, 0, false), (frame.Type, frame.StreamId, frame.IsAck));
        Assert.Equal(settings, read);

        written = FrameWriter.WriteSettingsAck(buffer);
        frame = ReadBack(buffer, written);
        Assert.True(frame.IsAck);
        Assert.Equal(0, frame.Header.Length);
    }

    [Property(MaxTest = 200)]
    public void PushPromise_RoundTrips(PositiveInt streamId, PositiveInt promised, byte[] fragment, bool endHeaders, bool padded, byte padLength)
    {
        var promisedId = (promised.Get & ~1) is 0 ? 2 : promised.Get & ~1;
        var buffer = new byte[FrameHeader.Size + 256 + 4 + fragment.Length + Next.Length];
        var written = FrameWriter.WritePushPromise(buffer, streamId.Get, promisedId, fragment, endHeaders, Pad(padded, padLength));
        var reader = new FrameReader(Http2Role.Client, pushEnabled: true) { MaxFrameSize = Http2Limits.MaxMaxFrameSize };
        var frame = ReadBack(buffer, written, reader);
        Assert.Equal((FrameType.PushPromise, streamId.Get, promisedId, endHeaders, padded ? padLength : 0), (frame.Type, frame.StreamId, frame.PromisedStreamId, frame.IsEndHeaders, frame.PadLength));
        Assert.Equal(fragment, frame.Content.ToArray());
    }

    [Property(MaxTest = 100)]
    public void Ping_RoundTrips(ulong opaque, bool ack)
    {
        var buffer = new byte[64];
        var written = FrameWriter.WritePing(buffer, opaque, ack);
        var frame = ReadBack(buffer, written);
        Assert.Equal((FrameType.Ping, opaque, ack), (frame.Type, frame.OpaqueData, frame.IsAck));
    }

    [Property(MaxTest = 100)]
    public void GoAway_RoundTrips(NonNegativeInt lastStreamId, uint code, byte[] debugData)
    {
        var buffer = new byte[FrameHeader.Size + 8 + debugData.Length + Next.Length];
        var written = FrameWriter.WriteGoAway(buffer, lastStreamId.Get, (Http2ErrorCode)code, debugData);
        var frame = ReadBack(buffer, written);
        Assert.Equal((FrameType.GoAway, lastStreamId.Get, (Http2ErrorCode)code), (frame.Type, frame.LastStreamId, frame.ErrorCode));
        Assert.Equal(debugData, frame.Content.ToArray());
    }

    [Property(MaxTest = 100)]
    public void WindowUpdate_RoundTrips(NonNegativeInt streamId, PositiveInt increment)
    {
        var buffer = new byte[64];
        var written = FrameWriter.WriteWindowUpdate(buffer, streamId.Get, increment.Get);
        var frame = ReadBack(buffer, written);
        Assert.Equal((FrameType.WindowUpdate, streamId.Get, increment.Get), (frame.Type, frame.StreamId, frame.WindowIncrement));
    }

    [Property(MaxTest = 100)]
    public void Continuations_RoundTrip_AfterTheirHeaders(PositiveInt streamId, byte[][] fragments)
    {
        var id = OddStream(streamId);
        var reader = new FrameReader(Http2Role.Server) { MaxFrameSize = Http2Limits.MaxMaxFrameSize };
        var buffer = new byte[FrameHeader.Size + 1024 + Next.Length];
        var written = FrameWriter.WriteHeaders(buffer, id, [0x82], endStream: true, endHeaders: fragments.Length == 0);
        ReadBack(buffer, written, reader, checkPrefixes: false);
        for (var i = 0; i < fragments.Length; i++)
        {
            var fragment = fragments[i] ?? [];
            var last = i == fragments.Length - 1;
            buffer = new byte[FrameHeader.Size + fragment.Length + Next.Length];
            written = FrameWriter.WriteContinuation(buffer, id, fragment, last);
            var frame = ReadBack(buffer, written, reader, checkPrefixes: false);
            Assert.Equal((FrameType.Continuation, id, last), (frame.Type, frame.StreamId, frame.IsEndHeaders));
            Assert.Equal(fragment, frame.Content.ToArray());
        }
        Assert.Equal((0, fragments.Length), (reader.OpenFieldBlockStreamId, reader.ContinuationCount));
    }

    [Fact]
    public void Writers_RefuseWhatNoFrameCanCarry()
    {
        var small = new byte[12];
        Assert.Throws<ArgumentException>(() => FrameWriter.WriteData(small, 1, new byte[4], false));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteData(new byte[64], 0, default, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteWindowUpdate(new byte[64], 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteRstStream(new byte[64], 0, Http2ErrorCode.Cancel));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteData(new byte[1 << 25], 1, new byte[FrameHeader.MaxLength + 1], false));
    }
}
