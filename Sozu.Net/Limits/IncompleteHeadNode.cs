namespace Sozu.Net.Limits;

/// <summary>
/// One connection's place in <see cref="IncompleteHeads"/>: allocated once per connection with
/// its HTTP stage, linked and unlinked without allocating.
/// </summary>
internal sealed class IncompleteHeadNode(IIncompleteHeadOwner owner)
{
    public IIncompleteHeadOwner Owner { get; } = owner;

    public bool Listed { get; internal set; }

    /// <summary>The IP counted against the per-IP cap while listed.</summary>
    internal ClientIp Ip { get; set; }

    internal IncompleteHeadNode? Previous { get; set; }

    internal IncompleteHeadNode? Next { get; set; }
}
