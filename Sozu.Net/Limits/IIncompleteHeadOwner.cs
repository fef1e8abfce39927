namespace Sozu.Net.Limits;

/// <summary>A connection whose request head is not complete yet, as <see cref="IncompleteHeads"/> sees it.</summary>
internal interface IIncompleteHeadOwner
{
    /// <summary>Closes the connection now (408 best effort): the buffer pool runs low and this is one of the oldest incomplete heads.</summary>
    void EvictIncompleteHead();
}
