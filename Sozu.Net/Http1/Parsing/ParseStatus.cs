namespace Sozu.Net.Http1.Parsing;

/// <summary>What a head parser concluded from the bytes it was given.</summary>
public enum ParseStatus
{
    /// <summary>The head is complete and valid; the head object holds its offsets.</summary>
    Complete,

    /// <summary>Valid so far; read more bytes and parse again from the start of the head.</summary>
    Incomplete,

    /// <summary>Malformed or ambiguous (smuggling risk): answer 400 (or 502 for a backend) and close.</summary>
    Invalid,

    /// <summary>Too many headers, or no end of head within the size limit: answer 431 and close.</summary>
    TooLarge,

    /// <summary>A request framed by a transfer coding other than chunked alone ("gzip, chunked"): answer 501 and close.</summary>
    NotImplemented,
}
