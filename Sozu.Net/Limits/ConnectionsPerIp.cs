namespace Sozu.Net.Limits;

/// <summary>
/// Client connections per source IP currently bound to one cluster (Sōzu's per-(cluster, IP)
/// concurrency cap: a cap on simultaneous connections, not a request rate). An entry lives
/// only while its count is above zero, so the table is bounded by the live sessions.
/// </summary>
internal sealed class ConnectionsPerIp
{
    private readonly Dictionary<ClientIp, int> _counts = [];

    public int TrackedIps => _counts.Count;

    public int CountOf(ClientIp ip) => _counts.GetValueOrDefault(ip);

    /// <summary>Counts one more connection from <paramref name="ip"/>; false (nothing counted) when it already has <paramref name="limit"/>.</summary>
    public bool TryAcquire(ClientIp ip, int limit)
    {
        var count = _counts.GetValueOrDefault(ip);
        if (count >= limit)
        {
            return false;
        }
        _counts[ip] = count + 1;
        return true;
    }

    public void Release(ClientIp ip)
    {
        if (!_counts.TryGetValue(ip, out var count))
        {
            return;
        }
        if (count <= 1)
        {
            _counts.Remove(ip);
        }
        else
        {
            _counts[ip] = count - 1;
        }
    }
}
