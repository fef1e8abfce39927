using System.Buffers.Binary;

namespace Sozu.Net.Http2.Frames;

/// <summary>
/// The settings of a SETTINGS payload, in order, read in place (a later value for the same
/// identifier overrides an earlier one, section 6.5.3). The reader has already checked the
/// length and every value, so the caller applies them as they come.
/// </summary>
public ref struct SettingsEnumerator
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _offset;

    public SettingsEnumerator(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _offset = -Setting.Size;
    }

    public readonly Setting Current => new(
        (SettingId)BinaryPrimitives.ReadUInt16BigEndian(_payload[_offset..]),
        BinaryPrimitives.ReadUInt32BigEndian(_payload[(_offset + 2)..]));

    public readonly SettingsEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        _offset += Setting.Size;
        return _offset + Setting.Size <= _payload.Length;
    }
}
