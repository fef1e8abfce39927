using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// Cumulative weights of one tier (primaries or backups) of positive weight, rebuilt when the
/// cluster changes, so a weighted draw is one random number and a binary search: O(log n).
/// </summary>
internal sealed class WeightTable
{
    private int[] _indexes = [];
    private long[] _cumulative = [];

    public int Count { get; private set; }

    public long Total { get; private set; }

    public void Rebuild(List<BackendRuntime> backends, bool backup)
    {
        if (_indexes.Length < backends.Count)
        {
            _indexes = new int[backends.Count];
            _cumulative = new long[backends.Count];
        }
        var count = 0;
        long total = 0;
        for (var i = 0; i < backends.Count; i++)
        {
            var backend = backends[i];
            if (backend.IsBackup == backup && backend.Weight > 0)
            {
                total += backend.Weight;
                _indexes[count] = i;
                _cumulative[count] = total;
                count++;
            }
        }
        Count = count;
        Total = total;
    }

    /// <summary>An index into the backend list drawn in proportion to weight, or -1 when the tier has no weight.</summary>
    public int Draw(ref FastRandom random)
    {
        if (Total == 0)
        {
            return -1;
        }
        var target = random.NextBelow(Total);
        // The first entry whose cumulative weight exceeds the target.
        int low = 0, high = Count - 1;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (_cumulative[middle] > target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return _indexes[low];
    }
}
