namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// PROXY headers of one listener that expects them, counted on the loop thread.
/// <see cref="Failures"/>: connections closed because their first bytes were not a valid
/// header (no header, a malformed one, one too long, or the client left before its end);
/// <see cref="Timeouts"/>: no complete header within the header timeout.
/// </summary>
internal sealed class ProxyHeaderCounters
{
    public long Headers;
    public long Failures;
    public long Timeouts;
}

/// <summary>A copy of <see cref="ProxyHeaderCounters"/> for a metrics query.</summary>
public sealed record ProxyHeaderSnapshot(long Headers, long Failures, long Timeouts);
