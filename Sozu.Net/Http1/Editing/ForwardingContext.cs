namespace Sozu.Net.Http1.Editing;

/// <summary>What the request head writer adds about the client connection and this proxy.</summary>
/// <param name="ClientAddress">The client IP as text ("192.0.2.1", "2001:db8::1"), rendered once per connection.</param>
/// <param name="ListenerAddress">This listener's IP as text, for Forwarded "by="; empty to leave it out.</param>
/// <param name="ListenerPort">The port the client connected to: X-Forwarded-Port.</param>
/// <param name="IsHttps">Whether the client spoke TLS: X-Forwarded-Proto and Forwarded "proto=".</param>
/// <param name="RequestId">The <see cref="RequestIdGenerator.Length"/>-byte id sent as Sozu-Id.</param>
public readonly ref struct ForwardingContext(
    ReadOnlySpan<byte> ClientAddress,
    ReadOnlySpan<byte> ListenerAddress,
    int ListenerPort,
    bool IsHttps,
    ReadOnlySpan<byte> RequestId)
{
    public ReadOnlySpan<byte> ClientAddress { get; } = ClientAddress;

    public ReadOnlySpan<byte> ListenerAddress { get; } = ListenerAddress;

    public int ListenerPort { get; } = ListenerPort;

    public bool IsHttps { get; } = IsHttps;

    public ReadOnlySpan<byte> RequestId { get; } = RequestId;
}
