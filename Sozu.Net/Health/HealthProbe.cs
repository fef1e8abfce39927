using System.Text;
using Sozu.Net.Backends;
using Sozu.Net.Sockets;
using Sozu.Net.Timers;

namespace Sozu.Net.Health;

/// <summary>
/// Probes one backend every interval: connect, send "GET uri", read the status line, close.
/// A connect error, a timeout, a close before a status line or an unexpected status is a
/// failure. <c>unhealthy_threshold</c> failures in a row hold the backend down;
/// <c>healthy_threshold</c> successes in a row bring it back (also from a passive down).
/// Everything happens on the loop: the socket is non-blocking and registered like any other,
/// and the one timer node serves both the next run and the current probe's timeout.
/// </summary>
internal sealed unsafe class HealthProbe : ITimerTarget, ISocketOwner
{
    // "HTTP/1.1 200" is all a verdict needs.
    private const int StatusLineBytes = 12;

    private readonly HealthChecker _checker;
    private readonly BackendRuntime _backend;
    private readonly TimerNode _timer;
    private readonly SocketEndpoint _socket = new();
    private readonly byte[] _request;
    private readonly byte[] _response = new byte[StatusLineBytes];
    private Phase _phase = Phase.Stopped;
    private int _sent;
    private int _received;

    public HealthProbe(HealthChecker checker, BackendRuntime backend)
    {
        _checker = checker;
        _backend = backend;
        _timer = new TimerNode(this);
        _request = Encoding.ASCII.GetBytes(
            $"GET {checker.Config.Uri} HTTP/1.1\r\nHost: {backend.Config.Address}\r\nUser-Agent: sozu-health-check\r\nConnection: close\r\n\r\n");
    }

    private enum Phase : byte
    {
        Stopped,
        Waiting,
        Connecting,
        Sending,
        Receiving,
    }

    public int ConsecutiveSuccesses { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    /// <summary>Probes run so far (for tests and metrics).</summary>
    public long Runs { get; private set; }

    public void Start()
    {
        if (_phase != Phase.Stopped)
        {
            return;
        }
        _phase = Phase.Waiting;
        _checker.Loop.Timers.Schedule(_timer, _checker.Loop.NowMs);
    }

    public void Stop()
    {
        _phase = Phase.Stopped;
        _checker.Loop.Timers.Cancel(_timer);
        _socket.Close();
    }

    public void OnTimeout(TimerNode node, long nowMs)
    {
        switch (_phase)
        {
            case Phase.Waiting:
                Begin(nowMs);
                break;
            case Phase.Stopped:
                break;
            default:
                Finish(healthy: false);
                break;
        }
    }

    public void OnSocketReady(SocketEndpoint socket) => Pump();

    private void Begin(long nowMs)
    {
        Runs++;
        _sent = 0;
        _received = 0;
        var fd = NativeSocket.Connect(_backend.Address, out _);
        if (fd < 0)
        {
            Finish(healthy: false);
            return;
        }
        _phase = Phase.Connecting;
        _checker.Loop.Timers.Schedule(_timer, nowMs + (_checker.Config.TimeoutSeconds * 1000L));
        _socket.Open(_checker.Loop, fd, this);
    }

    private void Pump()
    {
        if (_phase is Phase.Stopped or Phase.Waiting)
        {
            return;
        }
        if (_phase == Phase.Connecting)
        {
            if (_socket.HasError)
            {
                Finish(healthy: false);
                return;
            }
            if (!_socket.IsWritable)
            {
                return;
            }
            if (NativeSocket.PendingError(_socket.Fd) != 0)
            {
                Finish(healthy: false);
                return;
            }
            _phase = Phase.Sending;
        }
        if (_phase == Phase.Sending)
        {
            if (!_socket.IsWritable)
            {
                return;
            }
            if (_socket.Send(_request.AsSpan(_sent), out var sent) == IoStatus.Error)
            {
                Finish(healthy: false);
                return;
            }
            _sent += sent;
            if (_sent < _request.Length)
            {
                return;
            }
            _phase = Phase.Receiving;
        }
        while (_socket.IsReadable && _received < StatusLineBytes)
        {
            IoStatus status;
            int received;
            fixed (byte* into = &_response[_received])
            {
                status = NativeSocket.Receive(_socket.Fd, into, StatusLineBytes - _received, out received);
            }
            switch (status)
            {
                case IoStatus.Done:
                    _received += received;
                    break;
                case IoStatus.WouldBlock:
                    _socket.Readiness &= ~(Loop.Readiness.Readable | Loop.Readiness.PeerClosed);
                    return;
                default:
                    Finish(healthy: false);
                    return;
            }
        }
        if (_received >= StatusLineBytes)
        {
            Finish(IsExpected(_response, _checker.Config.ExpectedStatus));
        }
    }

    /// <summary>True for "HTTP/1.x SSS" with SSS the expected status (any 2xx when 0).</summary>
    internal static bool IsExpected(ReadOnlySpan<byte> statusLine, int expected)
    {
        if (statusLine.Length < StatusLineBytes || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' ')
        {
            return false;
        }
        var status = 0;
        for (var i = 9; i < 12; i++)
        {
            var digit = statusLine[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }
            status = (status * 10) + digit;
        }
        return expected == 0 ? status is >= 200 and < 300 : status == expected;
    }

    private void Finish(bool healthy)
    {
        _socket.Close();
        if (_phase == Phase.Stopped)
        {
            return;
        }
        var config = _checker.Config;
        if (healthy)
        {
            ConsecutiveFailures = 0;
            ConsecutiveSuccesses++;
            if (ConsecutiveSuccesses >= config.HealthyThreshold)
            {
                _checker.Events.HealthCheckHealthy(_backend);
            }
        }
        else
        {
            ConsecutiveSuccesses = 0;
            ConsecutiveFailures++;
            if (ConsecutiveFailures >= config.UnhealthyThreshold)
            {
                _checker.Events.HealthCheckUnhealthy(_backend);
            }
        }
        _phase = Phase.Waiting;
        _checker.Loop.Timers.Schedule(_timer, _checker.Loop.NowMs + (config.IntervalSeconds * 1000L));
    }
}
