namespace Sozu.Net.Limits;

/// <summary>
/// The connections of one loop that started a request head and have not finished it (slowloris
/// looks like this), oldest first, with a count per client IP. A connection enters when it
/// waits for more bytes of a head and leaves when the head completes, the proxy answers or
/// the connection closes. Two defences use it: the per-IP cap refuses one more incomplete head
/// from an IP that already has <c>max_incomplete_heads_per_ip</c>, and when the buffer pool
/// runs low the oldest entries are evicted first (<see cref="EvictOldest"/>), so that complete
/// requests still find buffers. Loop thread only; no allocation once an IP's entry exists.
/// </summary>
internal sealed class IncompleteHeads
{
    private readonly ConnectionsPerIp _perIp = new();
    private IncompleteHeadNode? _oldest;
    private IncompleteHeadNode? _newest;

    /// <summary>Connections listed now.</summary>
    public int Count { get; private set; }

    /// <summary>Incomplete heads closed because the buffer pool ran low.</summary>
    public long Evicted { get; private set; }

    /// <summary>Incomplete heads refused because their IP was at the cap.</summary>
    public long RefusedPerIp { get; private set; }

    public int CountOf(ClientIp ip) => _perIp.CountOf(ip);

    /// <summary>
    /// Lists <paramref name="node"/> as the newest incomplete head (a node already listed keeps
    /// its age); false, counting the refusal, when <paramref name="ip"/> already has
    /// <paramref name="limitPerIp"/> (0: no cap).
    /// </summary>
    public bool Enter(IncompleteHeadNode node, ClientIp ip, int limitPerIp)
    {
        if (node.Listed)
        {
            return true;
        }
        if (!_perIp.TryAcquire(ip, limitPerIp > 0 ? limitPerIp : int.MaxValue))
        {
            RefusedPerIp++;
            return false;
        }
        node.Ip = ip;
        node.Listed = true;
        node.Previous = _newest;
        node.Next = null;
        if (_newest is null)
        {
            _oldest = node;
        }
        else
        {
            _newest.Next = node;
        }
        _newest = node;
        Count++;
        return true;
    }

    public void Leave(IncompleteHeadNode node)
    {
        if (!node.Listed)
        {
            return;
        }
        _perIp.Release(node.Ip);
        if (node.Previous is null)
        {
            _oldest = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }
        if (node.Next is null)
        {
            _newest = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }
        node.Previous = node.Next = null;
        node.Listed = false;
        Count--;
    }

    /// <summary>
    /// Evicts the oldest incomplete head other than <paramref name="except"/> (the connection
    /// asking, which is on the stack); false when there is none.
    /// </summary>
    public bool EvictOldest(IncompleteHeadNode? except)
    {
        var victim = _oldest;
        if (victim is not null && ReferenceEquals(victim, except))
        {
            victim = victim.Next;
        }
        if (victim is null)
        {
            return false;
        }
        Leave(victim);
        Evicted++;
        victim.Owner.EvictIncompleteHead();
        return true;
    }
}
