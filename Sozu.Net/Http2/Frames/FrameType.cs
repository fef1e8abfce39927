namespace Sozu.Net.Http2.Frames;

/// <summary>
/// The frame types of RFC 9113 section 6. Any other value is an extension frame, which a
/// receiver ignores (section 4.1), except in the middle of a field block (section 6.10).
/// </summary>
public enum FrameType : byte
{
    Data = 0x0,
    Headers = 0x1,
    Priority = 0x2,
    RstStream = 0x3,
    Settings = 0x4,
    PushPromise = 0x5,
    Ping = 0x6,
    GoAway = 0x7,
    WindowUpdate = 0x8,
    Continuation = 0x9,
}
