using System.Buffers.Text;

namespace Sozu.Net.Http1.Editing;

/// <summary>
/// Appends to a destination span and remembers whether anything did not fit, so writers can
/// append unconditionally and check once at the end.
/// </summary>
internal ref struct HeadBuilder(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;
    private bool _overflow;

    /// <summary>Bytes written, or -1 when the head did not fit.</summary>
    public readonly int Result => _overflow ? -1 : _position;

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.TryCopyTo(_destination[_position..]))
        {
            _position += bytes.Length;
        }
        else
        {
            _overflow = true;
        }
    }

    public void Append(byte b)
    {
        if (_position < _destination.Length)
        {
            _destination[_position++] = b;
        }
        else
        {
            _overflow = true;
        }
    }

    public void Append(long value)
    {
        if (Utf8Formatter.TryFormat(value, _destination[_position..], out var written))
        {
            _position += written;
        }
        else
        {
            _overflow = true;
        }
    }

    public void AppendHeader(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        Append(name);
        Append(": "u8);
        Append(value);
        Append("\r\n"u8);
    }
}
