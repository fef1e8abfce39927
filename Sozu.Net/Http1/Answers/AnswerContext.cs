namespace Sozu.Net.Http1.Answers;

/// <summary>The per-request values an answer template may contain.</summary>
/// <param name="RequestId">Replaces %REQUEST_ID (the Sozu-Id of the request).</param>
/// <param name="RedirectHost">For %REDIRECT_LOCATION: the request's Host, any port is dropped.</param>
/// <param name="RedirectTarget">For %REDIRECT_LOCATION: the path and query (<see cref="Parsing.RequestHead.PathAndQuery"/>).</param>
/// <param name="RedirectPort">For %REDIRECT_LOCATION: the HTTPS port, 0 or 443 for none in the URL.</param>
public readonly ref struct AnswerContext(
    ReadOnlySpan<byte> RequestId,
    ReadOnlySpan<byte> RedirectHost = default,
    ReadOnlySpan<byte> RedirectTarget = default,
    int RedirectPort = 0)
{
    public ReadOnlySpan<byte> RequestId { get; } = RequestId;

    public ReadOnlySpan<byte> RedirectHost { get; } = RedirectHost;

    public ReadOnlySpan<byte> RedirectTarget { get; } = RedirectTarget;

    public int RedirectPort { get; } = RedirectPort;
}
