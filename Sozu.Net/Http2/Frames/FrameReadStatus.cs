namespace Sozu.Net.Http2.Frames;

/// <summary>What <see cref="FrameReader.Read"/> found at the start of its input.</summary>
public enum FrameReadStatus : byte
{
    /// <summary>The input holds less than one whole frame (and nothing wrong so far): read more, call again.</summary>
    NeedMore,

    /// <summary>A valid frame; consume <see cref="Http2Frame.TotalLength"/> bytes.</summary>
    Frame,

    /// <summary>
    /// A whole frame that breaks a rule confined to its stream: reset that stream, consume
    /// <see cref="Http2Frame.TotalLength"/> bytes and go on. The frame is filled in as far as it
    /// parsed: a HEADERS frame's field block must still reach the HPACK decoder, whose table the
    /// whole connection shares.
    /// </summary>
    StreamError,

    /// <summary>The connection must end with GOAWAY and the error's code; nothing is consumed.</summary>
    ConnectionError,
}
