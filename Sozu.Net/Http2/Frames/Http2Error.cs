namespace Sozu.Net.Http2.Frames;

/// <summary>
/// A protocol error found in a received frame: whether it ends the connection or one stream,
/// the code to send (GOAWAY or RST_STREAM) and the rule that was broken.
/// </summary>
public readonly record struct Http2Error(ErrorScope Scope, Http2ErrorCode Code, FrameViolation Violation, int StreamId)
{
    public bool IsConnectionError => Scope == ErrorScope.Connection;

    public static Http2Error Connection(Http2ErrorCode code, FrameViolation violation) =>
        new(ErrorScope.Connection, code, violation, 0);

    public static Http2Error Stream(Http2ErrorCode code, FrameViolation violation, int streamId) =>
        new(ErrorScope.Stream, code, violation, streamId);
}
