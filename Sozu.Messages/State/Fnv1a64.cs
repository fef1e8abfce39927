namespace Sozu.Messages.State;

/// <summary>
/// FNV-1a, 64 bits: a hash that is the same in every process and every run (unlike
/// string.GetHashCode), small enough to own. Values are fed with their length or a marker
/// first, so ("ab", "c") and ("a", "bc") hash apart.
/// </summary>
internal struct Fnv1a64
{
    private const ulong OffsetBasis = 14_695_981_039_346_656_037;
    private const ulong Prime = 1_099_511_628_211;

    private ulong _hash;

    public static Fnv1a64 Create() => new() { _hash = OffsetBasis };

    public readonly ulong Value => _hash;

    public void Add(byte value)
    {
        _hash ^= value;
        _hash *= Prime;
    }

    public void Add(bool value) => Add(value ? (byte)1 : (byte)0);

    public void Add(int value)
    {
        for (var shift = 0; shift < 32; shift += 8)
        {
            Add((byte)(value >> shift));
        }
    }

    public void Add(string? value)
    {
        if (value is null)
        {
            Add(-1);
            return;
        }
        Add(value.Length);
        foreach (var c in value)
        {
            Add((byte)c);
            Add((byte)(c >> 8));
        }
    }
}
