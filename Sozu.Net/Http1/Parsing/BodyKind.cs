namespace Sozu.Net.Http1.Parsing;

/// <summary>How the body after a head is delimited (RFC 9112 §6.3).</summary>
public enum BodyKind
{
    None,
    ContentLength,
    Chunked,

    /// <summary>Responses only: the body runs until the backend closes the connection.</summary>
    CloseDelimited,
}
