using Sozu.Messages.Collections;

namespace Sozu.Messages.Config;

/// <summary>Binds a TCP listener to a cluster: every connection on the address goes to it.</summary>
public sealed record TcpFrontend : ISozuMessage
{
    public required string ClusterId { get; init; }

    public required string Address { get; init; }

    public StringMap Tags { get; init; } = StringMap.Empty;
}
