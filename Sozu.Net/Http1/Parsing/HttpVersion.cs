namespace Sozu.Net.Http1.Parsing;

public enum HttpVersion : byte
{
    Http10,
    Http11,
}
