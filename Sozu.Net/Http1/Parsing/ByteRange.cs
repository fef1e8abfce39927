namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// A slice of the buffer a head was parsed from. Heads keep offsets, never strings, so parsing
/// allocates nothing; the default value is the empty range (an absent field).
/// </summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public bool IsEmpty => Length == 0;

    public int End => Start + Length;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);
}
