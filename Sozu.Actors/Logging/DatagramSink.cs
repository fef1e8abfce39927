using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace Sozu.Actors.Logging;

/// <summary>
/// Sōzu's udp:// and unix:// log targets: each event is one datagram (UDP, or a Unix datagram
/// socket such as a syslog daemon's) holding one line. Sending never blocks: a datagram the
/// kernel cannot take at once, or one refused by an absent receiver, is lost and counted.
/// </summary>
public sealed class DatagramSink : ILogEventSink, IDisposable
{
    /// <summary>Longer lines are cut: beyond this a UDP datagram is fragmented or refused.</summary>
    public const int MaxDatagramBytes = 65_000;

    private readonly ITextFormatter _formatter;
    private readonly Socket _socket;
    private readonly EndPoint _destination;
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
    private readonly Lock _gate = new();
    private readonly byte[] _bytes = new byte[MaxDatagramBytes];
    private long _lost;

    public DatagramSink(EndPoint destination, ITextFormatter formatter)
    {
        _destination = destination ?? throw new ArgumentNullException(nameof(destination));
        _formatter = formatter ?? throw new ArgumentNullException(nameof(formatter));
        _socket = destination is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified)
            : new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Blocking = false;
    }

    /// <summary>Datagrams not sent (no receiver, a full socket buffer).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>"udp://IP:PORT" or "unix:///path"; null when <paramref name="target"/> is neither (or unparsable).</summary>
    public static EndPoint? Destination(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.StartsWith("udp://", StringComparison.Ordinal))
        {
            return IPEndPoint.TryParse(target["udp://".Length..], out var endpoint) && endpoint.Port != 0 ? endpoint : null;
        }
        if (target.StartsWith("unix://", StringComparison.Ordinal) && target.Length > "unix://".Length)
        {
            return new UnixDomainSocketEndPoint(target["unix://".Length..]);
        }
        return null;
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_gate)
        {
            var builder = _text.GetStringBuilder();
            builder.Clear();
            _formatter.Format(logEvent, _text);
            var line = builder.ToString();
            var count = Encoding.UTF8.GetByteCount(line) <= _bytes.Length
                ? Encoding.UTF8.GetBytes(line, _bytes)
                : Encoding.UTF8.GetBytes(line.AsSpan(0, _bytes.Length / 4), _bytes);
            try
            {
                _socket.SendTo(_bytes.AsSpan(0, count), SocketFlags.None, _destination);
            }
            catch (SocketException e)
            {
                if (Interlocked.Increment(ref _lost) == 1)
                {
                    SelfLog.WriteLine("DatagramSink {0}: {1} (further losses are only counted)", _destination, e.SocketErrorCode);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket.Dispose();
            _text.Dispose();
        }
    }
}
