namespace Sozu.Net.Http2.Frames;

/// <summary>
/// What an error ends (RFC 9113 section 5.4): the whole connection (GOAWAY, then close) or one
/// stream (RST_STREAM, the connection goes on).
/// </summary>
public enum ErrorScope : byte
{
    Connection,
    Stream,
}
