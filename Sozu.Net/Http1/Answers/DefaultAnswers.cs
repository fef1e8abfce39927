namespace Sozu.Net.Http1.Answers;

/// <summary>
/// The built-in answers of SPEC §6, as raw HTTP an operator could have written; custom answers
/// replace them per listener and per cluster. Those after which the connection cannot be reused
/// (unknown framing, or a backend failure mid-request) say "Connection: close".
/// </summary>
public static class DefaultAnswers
{
    public static IReadOnlyDictionary<int, string> Raw { get; } = new Dictionary<int, string>
    {
        [301] = Answer("301 Moved Permanently", "", "Location: %REDIRECT_LOCATION\r\n"),
        [400] = Answer("400 Bad Request", "The request could not be parsed.", close: true),
        [401] = Answer("401 Unauthorized", "This resource is not available."),
        [404] = Answer("404 Not Found", "No frontend matches this host and path."),
        [408] = Answer("408 Request Timeout", "The request took too long to arrive.", close: true),
        [413] = Answer("413 Payload Too Large", "The request is too large.", close: true),
        [421] = Answer("421 Misdirected Request", "This host is not served on this connection.", close: true),
        [429] = TooManyConnections(60),
        [431] = Answer("431 Request Header Fields Too Large", "The request head is too large.", close: true),
        [501] = Answer("501 Not Implemented", "The request's transfer coding is not supported.", close: true),
        [502] = Answer("502 Bad Gateway", "The backend failed to answer.", close: true),
        [503] = Answer("503 Service Unavailable", "No backend is available for this service.", close: true),
        [504] = Answer("504 Gateway Timeout", "The backend took too long to answer.", close: true),
        [507] = Answer("507 Insufficient Storage", "The proxy has no buffer left for this request.", close: true),
    };

    /// <summary>
    /// Statuses after which the session closes the client connection whatever the answer says.
    /// 429 is the per-IP connection cap: keeping the connection would keep the IP over it.
    /// </summary>
    public static bool MustClose(int status) => status is 400 or 408 or 413 or 421 or 429 or 431 or 501 or 502 or 503 or 504 or 507;

    /// <summary>The 429 of the per-IP connection cap, with Retry-After unless <paramref name="retryAfterSeconds"/> is 0.</summary>
    public static string TooManyConnections(int retryAfterSeconds) =>
        Answer("429 Too Many Requests", "Too many connections from this address; retry later.",
            retryAfterSeconds > 0 ? $"Retry-After: {retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\n" : "", close: true);

    private static string Answer(string status, string body, string extraHeaders = "", bool close = false) =>
        $"HTTP/1.1 {status}\r\nSozu-Id: %REQUEST_ID\r\nCache-Control: no-cache\r\n{extraHeaders}" +
        (body.Length == 0 ? "" : "Content-Type: text/plain; charset=utf-8\r\n") +
        (close ? "Connection: close\r\n" : "") +
        "\r\n" + (body.Length == 0 ? "" : body + "\n");
}
