using Sozu.Net.Sockets;

namespace Sozu.Net.Metrics;

public enum AccessLogProtocol : byte
{
    Tcp,
    Http,
    Https,
    WebSocket,
}

/// <summary>
/// One finished request (HTTP) or connection (TCP), passed by reference: nothing is formatted
/// unless the hook does it. Method, host and path point into the request buffer.
/// </summary>
public readonly ref struct AccessLogEntry
{
    public AccessLogProtocol Protocol { get; init; }

    public NativeAddress Client { get; init; }

    public NativeAddress Backend { get; init; }

    /// <summary>Strings the configuration already holds (no copy); null when not routed.</summary>
    public string? ClusterId { get; init; }

    public string? BackendId { get; init; }

    public string ListenerAddress { get; init; }

    /// <summary>0 for TCP.</summary>
    public int Status { get; init; }

    public ReadOnlySpan<byte> Method { get; init; }

    public ReadOnlySpan<byte> Host { get; init; }

    public ReadOnlySpan<byte> Path { get; init; }

    /// <summary>Loop clock (ms) when the request started and ended.</summary>
    public long StartMs { get; init; }

    public long EndMs { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }
}
