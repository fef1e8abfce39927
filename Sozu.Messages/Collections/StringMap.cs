using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Sozu.Messages.Collections;

/// <summary>
/// An immutable string-to-string map, ordered by key (ordinal), with structural equality.
/// Used for frontend tags and raw answers, where value equality and a stable order matter
/// more than lookup speed.
/// </summary>
public sealed class StringMap : IReadOnlyDictionary<string, string>, IEquatable<StringMap>, IInvariantChecked
{
    public static readonly StringMap Empty = new([]);

    private readonly KeyValuePair<string, string>[] _pairs;

    private StringMap(KeyValuePair<string, string>[] sortedPairs) => _pairs = sortedPairs;

    public static StringMap From(IEnumerable<KeyValuePair<string, string>>? pairs)
    {
        if (pairs is null)
        {
            return Empty;
        }
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            map[pair.Key] = pair.Value;
        }
        return map.Count == 0 ? Empty : new StringMap([.. map]);
    }

    public int Count => _pairs.Length;

    /// <summary>Keys and values present, keys strictly ascending in ordinal order (so no duplicates): what binary search relies on.</summary>
    public string? FindViolation()
    {
        if (_pairs is null)
        {
            return "a string map without its pairs";
        }
        for (var i = 0; i < _pairs.Length; i++)
        {
            if (_pairs[i].Key is null)
            {
                return $"a string map with a null key at position {i}";
            }
            if (_pairs[i].Value is null)
            {
                return $"a string map with a null value for key '{_pairs[i].Key}'";
            }
            if (i > 0)
            {
                var order = string.CompareOrdinal(_pairs[i - 1].Key, _pairs[i].Key);
                if (order == 0)
                {
                    return $"a string map with key '{_pairs[i].Key}' twice";
                }
                if (order > 0)
                {
                    return $"a string map with keys out of order ('{_pairs[i - 1].Key}' before '{_pairs[i].Key}')";
                }
            }
        }
        return null;
    }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key);

    public IEnumerable<string> Values => _pairs.Select(p => p.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }
        value = _pairs[index].Value;
        return true;
    }

    public StringMap With(string key, string value)
    {
        var map = _pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        map[key] = value;
        return From(map);
    }

    private int IndexOf(string key)
    {
        int lo = 0, hi = _pairs.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(_pairs[mid].Key, key);
            if (cmp == 0)
            {
                return mid;
            }
            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return -1;
    }

    public bool Equals(StringMap? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._pairs.Length != _pairs.Length)
        {
            return false;
        }
        for (var i = 0; i < _pairs.Length; i++)
        {
            if (!string.Equals(_pairs[i].Key, other._pairs[i].Key, StringComparison.Ordinal)
                || !string.Equals(_pairs[i].Value, other._pairs[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is StringMap other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pair in _pairs)
        {
            hash.Add(pair.Key, StringComparer.Ordinal);
            hash.Add(pair.Value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _pairs.GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", _pairs.Select(p => p.Key + "=" + p.Value)) + "}";

    public static bool operator ==(StringMap? left, StringMap? right) => Equals(left, right);

    public static bool operator !=(StringMap? left, StringMap? right) => !Equals(left, right);
}
