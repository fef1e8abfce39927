using System.Collections.Immutable;

namespace Sozu.Messages.State;

/// <summary>Walks two sorted dictionaries with the same key order side by side: O(n + m), no lookups.</summary>
internal static class SortedMerge
{
    public static void Compare<TKey, TValue>(
        ImmutableSortedDictionary<TKey, TValue> from,
        ImmutableSortedDictionary<TKey, TValue> to,
        Action<TKey, TValue> removed,
        Action<TKey, TValue> added,
        Action<TKey, TValue, TValue> same,
        Action<TKey, TValue, TValue> changed)
        where TKey : notnull
    {
        var comparer = from.KeyComparer;
        var values = EqualityComparer<TValue>.Default;
        using var left = from.GetEnumerator();
        using var right = to.GetEnumerator();
        var hasLeft = left.MoveNext();
        var hasRight = right.MoveNext();
        while (hasLeft || hasRight)
        {
            var order = !hasLeft ? 1 : !hasRight ? -1 : comparer.Compare(left.Current.Key, right.Current.Key);
            if (order < 0)
            {
                removed(left.Current.Key, left.Current.Value);
                hasLeft = left.MoveNext();
            }
            else if (order > 0)
            {
                added(right.Current.Key, right.Current.Value);
                hasRight = right.MoveNext();
            }
            else
            {
                if (values.Equals(left.Current.Value, right.Current.Value))
                {
                    same(left.Current.Key, left.Current.Value, right.Current.Value);
                }
                else
                {
                    changed(left.Current.Key, left.Current.Value, right.Current.Value);
                }
                hasLeft = left.MoveNext();
                hasRight = right.MoveNext();
            }
        }
    }
}
