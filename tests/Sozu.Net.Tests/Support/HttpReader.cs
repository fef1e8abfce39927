using System.Text;

namespace Sozu.Net.Tests.Support;

/// <summary>Reads HTTP/1.1 messages off a stream for tests: head, then the body by its framing (decoded).</summary>
internal sealed class HttpReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[65536];
    private int _start;
    private int _end;

    /// <summary>Null when the stream ended before any byte of a head.</summary>
    public HttpMessage? ReadHead()
    {
        var line = ReadLine();
        if (line is null)
        {
            return null;
        }
        var message = new HttpMessage { StartLine = line };
        while (true)
        {
            var header = ReadLine() ?? throw new IOException("stream ended inside a head");
            if (header.Length == 0)
            {
                return message;
            }
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            message.Headers.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }
    }

    /// <summary>A whole message. <paramref name="responseToHead"/>: a response to HEAD has no body whatever it says.</summary>
    public HttpMessage? Read(bool isResponse, bool responseToHead = false)
    {
        var message = ReadHead();
        if (message is null)
        {
            return null;
        }
        if (isResponse && (responseToHead || message.Status is 204 or 304 || message.Status / 100 == 1))
        {
            return message;
        }
        if (message.HasToken("Transfer-Encoding", "chunked"))
        {
            message.WasChunked = true;
            message.Body = ReadChunked();
        }
        else if (message.Header("Content-Length") is { } length)
        {
            message.Body = ReadBytes(int.Parse(length));
        }
        else if (isResponse)
        {
            message.Body = ReadToEnd();
        }
        return message;
    }

    public byte[] ReadBytes(int count)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !Fill())
            {
                throw new IOException($"stream ended after {filled} of {count} body bytes");
            }
            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }
        return result;
    }

    public byte[] ReadToEnd()
    {
        var all = new MemoryStream();
        while (true)
        {
            all.Write(_buffer, _start, _end - _start);
            _start = _end;
            if (!Fill())
            {
                return all.ToArray();
            }
        }
    }

    private byte[] ReadChunked()
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = ReadLine() ?? throw new IOException("stream ended in chunked body");
            var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                while (ReadLine() is { Length: > 0 })
                {
                }
                return body.ToArray();
            }
            body.Write(ReadBytes(size));
            if (ReadLine() != "")
            {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    public string? ReadLine()
    {
        while (true)
        {
            var index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (index >= 0)
            {
                var length = index - _start;
                if (length > 0 && _buffer[index - 1] == '\r')
                {
                    length--;
                }
                var line = Encoding.ASCII.GetString(_buffer, _start, length);
                _start = index + 1;
                return line;
            }
            if (!Fill())
            {
                return null;
            }
        }
    }

    private bool Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new IOException("line too long for the test reader");
        }
        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n <= 0)
        {
            return false;
        }
        _end += n;
        return true;
    }
}
