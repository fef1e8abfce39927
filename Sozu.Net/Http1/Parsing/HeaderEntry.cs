namespace Sozu.Net.Http1.Parsing;

/// <summary>One header line of a parsed head: offsets of its name and of its trimmed value.</summary>
public readonly record struct HeaderEntry(int NameStart, int NameLength, int ValueStart, int ValueLength, KnownHeader Kind)
{
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> buffer) => buffer.Slice(NameStart, NameLength);

    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> buffer) => buffer.Slice(ValueStart, ValueLength);
}
