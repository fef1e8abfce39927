namespace Sozu.Net.Http1.Parsing;

public enum ChunkedScanStatus
{
    /// <summary>Every byte given belongs to the body and the body is not over yet.</summary>
    NeedMore,

    /// <summary>The last chunk and the trailers ended; bytes after them belong to the next message.</summary>
    Done,

    /// <summary>Malformed chunk framing: a bad size, an overflow, a missing CRLF, an oversized extension or trailer.</summary>
    Invalid,
}
