using Sozu.Net.Http2.Frames;
using Xunit;

namespace Sozu.Net.Tests.Http2.Frames;

/// <summary>Each rule of RFC 9113 sections 4 to 6 the reader enforces, with the error it gives.</summary>
public class FrameReaderTests
{
    private static byte[] Frame(int length, FrameType type, byte flags, int streamId, params byte[] payload)
    {
        var bytes = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(length, type, flags, streamId).Write(bytes);
        payload.CopyTo(bytes, FrameHeader.Size);
        return bytes;
    }

    private static byte[] Frame(FrameType type, byte flags, int streamId, params byte[] payload) =>
        Frame(payload.Length, type, flags, streamId, payload);

    private static (FrameReadStatus Status, Http2Error Error) Read(byte[] input, Http2Role role = Http2Role.Server, FrameReader? reader = null)
    {
        reader ??= new FrameReader(role);
        var status = reader.Read(input, out _, out var error);
        return (status, error);
    }

    public static TheoryData<string, byte[], ErrorScope, Http2ErrorCode, FrameViolation> Violations => new()
    {
        { "DATA on stream 0", Frame(FrameType.Data, 0, 0, 1, 2), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired },
        { "DATA pad length = payload length", Frame(FrameType.Data, FrameFlags.Padded, 1, 3, 0, 0), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.PaddingExceedsPayload },
        { "DATA padded, no pad length", Frame(FrameType.Data, FrameFlags.Padded, 1), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.PayloadTooShort },
        { "HEADERS on stream 0", Frame(FrameType.Headers, FrameFlags.EndHeaders, 0, 0x82), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired },
        { "HEADERS from a client on an even stream", Frame(FrameType.Headers, FrameFlags.EndHeaders, 2, 0x82), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdParity },
        { "HEADERS pad length too long", Frame(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.Padded, 1, 2, 0x82), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.PaddingExceedsPayload },
        { "HEADERS priority fields cut", Frame(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.Priority, 1, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.PayloadTooShort },
        { "HEADERS depending on itself", Frame(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.Priority, 3, 0, 0, 0, 3, 16, 0x82), ErrorScope.Stream, Http2ErrorCode.ProtocolError, FrameViolation.StreamDependsOnItself },
        { "PRIORITY on stream 0", Frame(FrameType.Priority, 0, 0, 0, 0, 0, 1, 16), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired },
        { "PRIORITY of 4 bytes", Frame(FrameType.Priority, 0, 1, 0, 0, 0, 3), ErrorScope.Stream, Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength },
        { "PRIORITY depending on itself", Frame(FrameType.Priority, 0, 5, 0, 0, 0, 5, 16), ErrorScope.Stream, Http2ErrorCode.ProtocolError, FrameViolation.StreamDependsOnItself },
        { "RST_STREAM on stream 0", Frame(FrameType.RstStream, 0, 0, 0, 0, 0, 8), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired },
        { "RST_STREAM of 3 bytes", Frame(FrameType.RstStream, 0, 1, 0, 0, 8), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength },
        { "SETTINGS on stream 1", Frame(FrameType.Settings, 0, 1), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdForbidden },
        { "SETTINGS ACK with a payload", Frame(FrameType.Settings, FrameFlags.Ack, 0, 0, 3, 0, 0, 0, 100), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.SettingsAckWithPayload },
        { "SETTINGS of 5 bytes", Frame(FrameType.Settings, 0, 0, 0, 3, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength },
        { "SETTINGS_ENABLE_PUSH = 2", Frame(FrameType.Settings, 0, 0, 0, 2, 0, 0, 0, 2), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.InvalidSettingValue },
        { "SETTINGS_INITIAL_WINDOW_SIZE = 2^31", Frame(FrameType.Settings, 0, 0, 0, 4, 0x80, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.FlowControlError, FrameViolation.InitialWindowSizeTooLarge },
        { "SETTINGS_MAX_FRAME_SIZE = 16383", Frame(FrameType.Settings, 0, 0, 0, 5, 0, 0, 0x3f, 0xff), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.InvalidSettingValue },
        { "SETTINGS_MAX_FRAME_SIZE = 2^24", Frame(FrameType.Settings, 0, 0, 0, 5, 1, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.InvalidSettingValue },
        { "SETTINGS_ENABLE_CONNECT_PROTOCOL = 2", Frame(FrameType.Settings, 0, 0, 0, 8, 0, 0, 0, 2), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.InvalidSettingValue },
        { "PUSH_PROMISE to a server", Frame(FrameType.PushPromise, FrameFlags.EndHeaders, 1, 0, 0, 0, 2, 0x82), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.PushPromiseNotAllowed },
        { "PING on stream 1", Frame(FrameType.Ping, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdForbidden },
        { "PING of 7 bytes", Frame(FrameType.Ping, 0, 0, 0, 0, 0, 0, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength },
        { "PING ACK of 9 bytes", Frame(FrameType.Ping, FrameFlags.Ack, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength },
        { "GOAWAY on stream 1", Frame(FrameType.GoAway, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdForbidden },
        { "GOAWAY of 7 bytes", Frame(FrameType.GoAway, 0, 0, 0, 0, 0, 0, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.PayloadTooShort },
        { "WINDOW_UPDATE of 0 on the connection", Frame(FrameType.WindowUpdate, 0, 0, 0, 0, 0, 0), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.ZeroWindowIncrement },
        { "WINDOW_UPDATE of 0 on a stream", Frame(FrameType.WindowUpdate, 0, 1, 0x80, 0, 0, 0), ErrorScope.Stream, Http2ErrorCode.ProtocolError, FrameViolation.ZeroWindowIncrement },
        { "WINDOW_UPDATE of 5 bytes", Frame(FrameType.WindowUpdate, 0, 1, 0, 0, 0, 1, 0), ErrorScope.Connection, Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength },
        { "CONTINUATION with no block open", Frame(FrameType.Continuation, FrameFlags.EndHeaders, 1, 0x82), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.UnexpectedContinuation },
        { "CONTINUATION on stream 0", Frame(FrameType.Continuation, FrameFlags.EndHeaders, 0, 0x82), ErrorScope.Connection, Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Read_FrameBreakingARule_GivesItsTypedError(string rule, byte[] input, ErrorScope scope, Http2ErrorCode code, FrameViolation violation)
    {
        var (status, error) = Read(input);
        Assert.True(status == (scope == ErrorScope.Connection ? FrameReadStatus.ConnectionError : FrameReadStatus.StreamError), $"{rule}: {status}");
        Assert.Equal((scope, code, violation), (error.Scope, error.Code, error.Violation));
        Assert.Equal(scope == ErrorScope.Stream ? FrameHeader.Read(input).StreamId : 0, error.StreamId);
    }

    [Fact]
    public void Read_FrameLongerThanMaxFrameSize_IsRefusedFromItsHeaderAlone()
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(Http2Limits.DefaultMaxFrameSize + 1, FrameType.Data, 0, 1).Write(header);
        var (status, error) = Read(header);
        Assert.Equal(FrameReadStatus.ConnectionError, status);
        Assert.Equal((Http2ErrorCode.FrameSizeError, FrameViolation.ExceedsMaxFrameSize), (error.Code, error.Violation));

        var reader = new FrameReader(Http2Role.Server) { MaxFrameSize = 32_768 };
        Assert.Equal(FrameReadStatus.NeedMore, reader.Read(header, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.MaxFrameSize = 16_383);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.MaxFrameSize = Http2Limits.MaxMaxFrameSize + 1);
    }

    [Fact]
    public void Read_AnOpenFieldBlock_AcceptsOnlyItsContinuations_ThenAnythingAgain()
    {
        var reader = new FrameReader(Http2Role.Server);
        Assert.Equal(FrameReadStatus.Frame, reader.Read(Frame(FrameType.Headers, FrameFlags.EndStream, 1, 0x82), out _, out _));
        Assert.Equal(1, reader.OpenFieldBlockStreamId);

        // Another type, or a CONTINUATION on another stream, ends the connection: found from the header alone.
        var ping = Frame(FrameType.Ping, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var (status, error) = Read(ping[..FrameHeader.Size], reader: reader);
        Assert.Equal((FrameReadStatus.ConnectionError, FrameViolation.ContinuationExpected), (status, error.Violation));
        (status, error) = Read(Frame(FrameType.Continuation, FrameFlags.EndHeaders, 3, 0x84), reader: reader);
        Assert.Equal((FrameReadStatus.ConnectionError, FrameViolation.ContinuationExpected), (status, error.Violation));
        (status, _) = Read(Frame((FrameType)0xBB, 0, 0, 1, 2, 3), reader: reader);
        Assert.Equal(FrameReadStatus.ConnectionError, status);

        Assert.Equal(FrameReadStatus.Frame, reader.Read(Frame(FrameType.Continuation, 0, 1, 0x84), out var continuation, out _));
        Assert.Equal(new byte[] { 0x84 }, continuation.Content.ToArray());
        Assert.Equal(FrameReadStatus.Frame, reader.Read(Frame(FrameType.Continuation, FrameFlags.EndHeaders, 1, 0x86), out _, out _));
        Assert.Equal((0, 2), (reader.OpenFieldBlockStreamId, reader.ContinuationCount));
        Assert.Equal(FrameReadStatus.Frame, reader.Read(ping, out _, out _));
    }

    [Fact]
    public void Read_HeadersDependingOnItself_StillOpensItsFieldBlock_AndGivesTheFragment()
    {
        var reader = new FrameReader(Http2Role.Server);
        var status = reader.Read(Frame(FrameType.Headers, FrameFlags.Priority, 3, 0, 0, 0, 3, 16, 0x82), out var frame, out var error);
        Assert.Equal(FrameReadStatus.StreamError, status);
        Assert.Equal(3, error.StreamId);
        Assert.Equal(new byte[] { 0x82 }, frame.Content.ToArray());
        Assert.Equal(3, reader.OpenFieldBlockStreamId);
        Assert.Equal(FrameHeader.Size + 6, frame.TotalLength);
    }

    [Fact]
    public void Read_UnknownTypeAndUndefinedFlags_AreAccepted_ForTheCallerToIgnore()
    {
        var status = new FrameReader(Http2Role.Server).Read(Frame((FrameType)0x20, 0xFF, 0, 9, 9), out var frame, out _);
        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.Equal(new byte[] { 9, 9 }, frame.Content.ToArray());

        // PING with every flag but ACK set, and the reserved bit of the stream id set: both ignored.
        var ping = Frame(FrameType.Ping, 0xFE, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        ping[5] = 0x80;
        Assert.Equal(FrameReadStatus.Frame, new FrameReader(Http2Role.Server).Read(ping, out frame, out _));
        Assert.Equal((false, 0x0102030405060708UL, 0), (frame.IsAck, frame.OpaqueData, frame.StreamId));
    }

    [Fact]
    public void Read_Settings_EnumeratesEveryPair_UnknownIdsIncluded()
    {
        var input = Frame(FrameType.Settings, 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 0x99, 0, 0, 0, 1, 0, 4, 0x7f, 0xff, 0xff, 0xff);
        Assert.Equal(FrameReadStatus.Frame, new FrameReader(Http2Role.Server).Read(input, out var frame, out _));
        var settings = new List<Setting>();
        foreach (var setting in frame.Settings)
        {
            settings.Add(setting);
        }
        Assert.Equal(new[] { new Setting(SettingId.HeaderTableSize, 4096), new Setting((SettingId)0x99, 1), new Setting(SettingId.InitialWindowSize, int.MaxValue) }, settings);
    }

    [Fact]
    public void Read_PushPromise_ToAClientWithPushEnabled_IsParsed_OddPromisedIdsRefused()
    {
        var reader = new FrameReader(Http2Role.Client, pushEnabled: true);
        Assert.Equal(FrameReadStatus.Frame, reader.Read(Frame(FrameType.PushPromise, FrameFlags.EndHeaders | FrameFlags.Padded, 1, 1, 0, 0, 0, 2, 0x82, 0), out var frame, out _));
        Assert.Equal((2, 1), (frame.PromisedStreamId, frame.PadLength));
        Assert.Equal(new byte[] { 0x82 }, frame.Content.ToArray());

        var (status, error) = Read(Frame(FrameType.PushPromise, FrameFlags.EndHeaders, 1, 0, 0, 0, 3, 0x82), reader: reader);
        Assert.Equal((FrameReadStatus.ConnectionError, FrameViolation.StreamIdParity), (status, error.Violation));
        (status, error) = Read(Frame(FrameType.PushPromise, FrameFlags.EndHeaders, 1, 0, 0, 0, 2, 0x82), Http2Role.Client);
        Assert.Equal((FrameReadStatus.ConnectionError, FrameViolation.PushPromiseNotAllowed), (status, error.Violation));
        (status, error) = Read(Frame(FrameType.Settings, 0, 0, 0, 2, 0, 0, 0, 1), Http2Role.Client);
        Assert.Equal((FrameReadStatus.ConnectionError, FrameViolation.InvalidSettingValue), (status, error.Violation));
        (status, _) = Read(Frame(FrameType.Settings, 0, 0, 0, 2, 0, 0, 0, 1), Http2Role.Server);
        Assert.Equal(FrameReadStatus.Frame, status);
    }

    [Fact]
    public void Read_EveryProperPrefixOfAFrame_NeedsMore_AndTheFrameNeverReadsPastItsEnd()
    {
        var input = Frame(FrameType.Data, FrameFlags.Padded | FrameFlags.EndStream, 1, 2, 0x61, 0x62, 0x63, 0, 0);
        byte[] withNext = [.. input, .. Frame(FrameType.Ping, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)];
        for (var length = 0; length < input.Length; length++)
        {
            Assert.Equal(FrameReadStatus.NeedMore, new FrameReader(Http2Role.Server).Read(input.AsSpan(0, length), out _, out _));
        }
        Assert.Equal(FrameReadStatus.Frame, new FrameReader(Http2Role.Server).Read(withNext, out var frame, out _));
        Assert.Equal(input.Length, frame.TotalLength);
        Assert.Equal("abc"u8.ToArray(), frame.Content.ToArray());
        Assert.True(frame.IsEndStream);
    }
}
