using System.Collections;
using System.Collections.Immutable;

namespace Sozu.Messages.Collections;

/// <summary>
/// An immutable list with structural equality, so that records holding lists keep value
/// equality (ImmutableArray compares by reference, which would break state diffs and tests).
/// </summary>
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>, IInvariantChecked
{
    public static readonly ValueList<T> Empty = new([]);

    private readonly T[] _items;

    private ValueList(T[] items) => _items = items;

    public static ValueList<T> From(IEnumerable<T>? items)
    {
        if (items is null)
        {
            return Empty;
        }
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new ValueList<T>(array);
    }

    public static ValueList<T> Of(params T[] items) => From(items);

    public int Count => _items.Length;

    /// <summary>
    /// Items present: no message holds a list with holes, and code reading a list never
    /// expects one (the nullable annotations say so; the runtime cannot).
    /// </summary>
    public string? FindViolation()
    {
        if (_items is null)
        {
            return $"a list of {typeof(T).Name} without its items";
        }
        if (default(T) is null)
        {
            for (var i = 0; i < _items.Length; i++)
            {
                if (_items[i] is null)
                {
                    return $"a list of {typeof(T).Name} with a null item at position {i}";
                }
            }
        }
        return null;
    }

    public T this[int index] => _items[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public ValueList<T> Add(T item)
    {
        var copy = new T[_items.Length + 1];
        _items.CopyTo(copy, 0);
        copy[^1] = item;
        return new ValueList<T>(copy);
    }

    public ImmutableArray<T> ToImmutableArray() => [.. _items];

    public bool Equals(ValueList<T>? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) => Equals(left, right);

    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !Equals(left, right);
}
