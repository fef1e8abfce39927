using System.Buffers;
using System.Net.Sockets;

namespace Sozu.Actors.CommandSocket;

/// <summary>
/// Splits a stream socket into newline-terminated lines with a byte limit. A line over the limit
/// is skipped up to its newline (never buffered whole), so a client cannot make the supervisor
/// hold more than the limit for it.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int ReadSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly int _maxLineBytes;
    private readonly byte[] _readBuffer = ArrayPool<byte>.Shared.Rent(ReadSize);
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private int _start;
    private int _end;
    private long _skipped;

    public LineReader(Socket socket, int maxLineBytes)
    {
        _socket = socket;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>The next line; null at end of stream (a last line without newline is still returned).</summary>
    public async ValueTask<LineResult?> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            if (_start < _end)
            {
                var available = _readBuffer.AsSpan(_start, _end - _start);
                var newline = available.IndexOf((byte)'\n');
                var chunk = newline < 0 ? available : available[..newline];
                _start += newline < 0 ? chunk.Length : chunk.Length + 1;
                Append(chunk);
                if (newline >= 0)
                {
                    return Complete();
                }
            }
            var read = await _socket.ReceiveAsync(_readBuffer.AsMemory(0, ReadSize), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                return _line.WrittenCount > 0 || _skipped > 0 ? Complete() : null;
            }
            _start = 0;
            _end = read;
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_readBuffer);

    private void Append(ReadOnlySpan<byte> chunk)
    {
        if (_skipped > 0 || _line.WrittenCount + chunk.Length > _maxLineBytes)
        {
            _skipped += _line.WrittenCount + chunk.Length;
            _line.ResetWrittenCount();
            return;
        }
        _line.Write(chunk);
    }

    private LineResult Complete()
    {
        LineResult result;
        if (_skipped > 0)
        {
            result = new LineResult(null, _skipped);
        }
        else
        {
            var span = _line.WrittenSpan;
            if (span.Length > 0 && span[^1] == (byte)'\r')
            {
                span = span[..^1];
            }
            result = new LineResult(span.ToArray(), span.Length);
        }
        _skipped = 0;
        _line.ResetWrittenCount();
        return result;
    }
}

/// <summary>A line's bytes, or null with its length when it was over the limit.</summary>
internal sealed record LineResult(byte[]? Bytes, long Length);
