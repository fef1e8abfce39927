namespace Sozu.Net.Http1.Editing;

/// <summary>What the response head writer adds or changes for the client.</summary>
/// <param name="RequestId">The id sent as Sozu-Id on the request.</param>
/// <param name="CloseClient">The client connection closes after this response (the client asked, or the proxy decided).</param>
/// <param name="ClientIsHttp10">An HTTP/1.0 client that stays open must be told "Connection: keep-alive".</param>
/// <param name="StrictTransportSecurity">A rendered "Strict-Transport-Security: …\r\n" line, empty for none (HTTPS only).</param>
/// <param name="StickyCookieName">The sticky cookie name; empty when no cookie is to be set.</param>
/// <param name="StickyCookieValue">The sticky id of the backend that answered.</param>
public readonly ref struct ResponseContext(
    ReadOnlySpan<byte> RequestId,
    bool CloseClient,
    bool ClientIsHttp10,
    ReadOnlySpan<byte> StrictTransportSecurity,
    ReadOnlySpan<byte> StickyCookieName,
    ReadOnlySpan<byte> StickyCookieValue)
{
    public ReadOnlySpan<byte> RequestId { get; } = RequestId;

    public bool CloseClient { get; } = CloseClient;

    public bool ClientIsHttp10 { get; } = ClientIsHttp10;

    public ReadOnlySpan<byte> StrictTransportSecurity { get; } = StrictTransportSecurity;

    public ReadOnlySpan<byte> StickyCookieName { get; } = StickyCookieName;

    public ReadOnlySpan<byte> StickyCookieValue { get; } = StickyCookieValue;
}
