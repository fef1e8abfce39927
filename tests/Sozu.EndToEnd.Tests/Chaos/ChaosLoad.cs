using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Chaos;

/// <summary>
/// Bounded continuous load through the proxy, as an operator's clients would send it: keep-alive
/// HTTP clients (each one connection, reused until the proxy says Connection: close or closed it
/// while idle, as real clients do: a closed idle connection is seen before the next request is
/// written), a loop of HTTP requests each on a new connection, and a loop of TCP exchanges each
/// on a new connection (connect, echo, close). Every request is counted when it starts and
/// recorded when it ends, with the client's port (to find which worker held it) and, when it
/// failed, why. Raw sockets, no retries: a failure the proxy causes is never hidden.
/// </summary>
internal sealed class ChaosLoad : IAsyncDisposable
{
    /// <summary>Per request: a request still unanswered after this is a failure ("timeout"), never a hang.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pause between two requests of one client: about 60 requests/s per client on an idle machine.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(15);

    private readonly int _httpPort;
    private readonly int _tcpPort;
    private readonly string _host;
    private readonly string _expectedBody;
    private readonly TimeSpan _limit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Outcome> _outcomes = [];
    private readonly ConcurrentDictionary<long, Active> _active = new();
    private readonly List<Task> _loops = [];
    private long _started;

    public enum Kind
    {
        KeepAlive,
        NewConnection,
        Tcp,
    }

    /// <summary>One request: when it started and ended (load clock), on which client port, and why it failed ("" when it succeeded).</summary>
    public readonly record struct Outcome(long Id, Kind Kind, int ClientPort, TimeSpan StartedAt, TimeSpan EndedAt, string Failure)
    {
        public bool Failed => Failure.Length > 0;
    }

    /// <summary>A request under way: its client port is 0 until its connection is made.</summary>
    public sealed record Active(long Id, Kind Kind, TimeSpan StartedAt)
    {
        public int ClientPort { get; set; }
    }

    private ChaosLoad(int httpPort, int tcpPort, string host, string expectedBody, TimeSpan limit)
    {
        _httpPort = httpPort;
        _tcpPort = tcpPort;
        _host = host;
        _expectedBody = expectedBody;
        _limit = limit;
    }

    /// <summary>
    /// Starts <paramref name="keepAliveClients"/> keep-alive loops, one new-connection loop and one
    /// TCP loop; none starts a request after <paramref name="limit"/>.
    /// </summary>
    public static ChaosLoad Start(int httpPort, int tcpPort, string host, string expectedBody, int keepAliveClients, TimeSpan limit)
    {
        var load = new ChaosLoad(httpPort, tcpPort, host, expectedBody, limit);
        for (var i = 0; i < keepAliveClients; i++)
        {
            load._loops.Add(Task.Run(load.KeepAliveLoop));
        }
        load._loops.Add(Task.Run(load.NewConnectionLoop));
        load._loops.Add(Task.Run(load.TcpLoop));
        return load;
    }

    public TimeSpan Now => _clock.Elapsed;

    public long Started => Interlocked.Read(ref _started);

    public IReadOnlyList<Outcome> Outcomes
    {
        get
        {
            lock (_outcomes)
            {
                return [.. _outcomes];
            }
        }
    }

    public int Completed
    {
        get
        {
            lock (_outcomes)
            {
                return _outcomes.Count;
            }
        }
    }

    /// <summary>The requests under way now (a snapshot).</summary>
    public IReadOnlyList<Active> InFlight() => [.. _active.Values];

    /// <summary>Waits until <paramref name="count"/> more requests have ended (bounded: 30 s).</summary>
    public async Task WaitForMoreAsync(int count)
    {
        var target = Completed + count;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Completed < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Stops starting requests; waits for those under way (each bounded by <see cref="RequestTimeout"/>).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>"N started, N succeeded, N failed (K keep-alive, C new-connection, T tcp)" and the failures by reason.</summary>
    public static string Summary(IReadOnlyList<Outcome> outcomes)
    {
        var failed = outcomes.Where(o => o.Failed).ToList();
        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"{outcomes.Count} started, {outcomes.Count - failed.Count} succeeded, {failed.Count} failed " +
            $"({outcomes.Count(o => o.Kind == Kind.KeepAlive)} keep-alive, {outcomes.Count(o => o.Kind == Kind.NewConnection)} new-connection, {outcomes.Count(o => o.Kind == Kind.Tcp)} tcp)");
        foreach (var group in failed.GroupBy(o => (o.Kind, o.Failure)).OrderByDescending(g => g.Count()))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  {group.Count()} × {group.Key.Kind}: {group.Key.Failure}");
        }
        return text.ToString();
    }

    private bool Next() => !_stop.IsCancellationRequested && _clock.Elapsed < _limit;

    private Active Begin(Kind kind)
    {
        var active = new Active(Interlocked.Increment(ref _started), kind, _clock.Elapsed);
        _active[active.Id] = active;
        return active;
    }

    private void End(Active active, string failure)
    {
        _active.TryRemove(active.Id, out _);
        lock (_outcomes)
        {
            _outcomes.Add(new Outcome(active.Id, active.Kind, active.ClientPort, active.StartedAt, _clock.Elapsed, failure));
        }
    }

    private static async Task<Socket> ConnectAsync(int port, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static int LocalPort(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>What a client library does before reusing a pooled connection: readable with nothing to read means the peer closed it.</summary>
    private static bool ClosedByPeer(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private static string Reason(Exception e, CancellationToken timeout) => e switch
    {
        OperationCanceledException when timeout.IsCancellationRequested => "timeout",
        SocketException s => "socket: " + s.SocketErrorCode,
        IOException { InnerException: SocketException s } => "socket: " + s.SocketErrorCode,
        _ => e.GetType().Name + ": " + e.Message,
    };

    private async Task KeepAliveLoop()
    {
        var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {_host}\r\n\r\n");
        var buffer = new byte[4096];
        Socket? connection = null;
        try
        {
            while (Next())
            {
                if (connection is not null && ClosedByPeer(connection))
                {
                    connection.Dispose();
                    connection = null;
                }
                var active = Begin(Kind.KeepAlive);
                using var timeout = new CancellationTokenSource(RequestTimeout);
                var failure = "";
                try
                {
                    connection ??= await ConnectAsync(_httpPort, timeout.Token);
                    active.ClientPort = LocalPort(connection);
                    await connection.SendAsync(request, SocketFlags.None, timeout.Token);
                    var (status, body, close) = await ReadResponseAsync(connection, buffer, timeout.Token);
                    failure = status != 200 ? $"status {status}" : body != _expectedBody ? $"body '{body}'" : "";
                    if (close || failure.Length > 0)
                    {
                        connection.Dispose();
                        connection = null;
                    }
                }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or FormatException)
                {
                    failure = Reason(e, timeout.Token);
                    connection?.Dispose();
                    connection = null;
                }
                End(active, failure);
                await Task.Delay(Pace);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task NewConnectionLoop()
    {
        var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {_host}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[4096];
        while (Next())
        {
            var active = Begin(Kind.NewConnection);
            using var timeout = new CancellationTokenSource(RequestTimeout);
            var failure = "";
            try
            {
                using var connection = await ConnectAsync(_httpPort, timeout.Token);
                active.ClientPort = LocalPort(connection);
                await connection.SendAsync(request, SocketFlags.None, timeout.Token);
                var (status, body, _) = await ReadResponseAsync(connection, buffer, timeout.Token);
                failure = status != 200 ? $"status {status}" : body != _expectedBody ? $"body '{body}'" : "";
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or FormatException)
            {
                failure = Reason(e, timeout.Token);
            }
            End(active, failure);
            await Task.Delay(Pace);
        }
    }

    private async Task TcpLoop()
    {
        var buffer = new byte[64];
        var sequence = 0;
        while (Next())
        {
            var active = Begin(Kind.Tcp);
            using var timeout = new CancellationTokenSource(RequestTimeout);
            var failure = "";
            try
            {
                using var connection = await ConnectAsync(_tcpPort, timeout.Token);
                active.ClientPort = LocalPort(connection);
                var message = Encoding.ASCII.GetBytes($"chaos {++sequence:D8}\n");
                await connection.SendAsync(message, SocketFlags.None, timeout.Token);
                var read = 0;
                while (read < message.Length)
                {
                    var n = await connection.ReceiveAsync(buffer.AsMemory(read, message.Length - read), SocketFlags.None, timeout.Token);
                    if (n == 0)
                    {
                        break;
                    }
                    read += n;
                }
                failure = read < message.Length ? $"closed after {read} of {message.Length} echoed bytes"
                    : !buffer.AsSpan(0, read).SequenceEqual(message) ? "echo differs" : "";
                connection.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                failure = Reason(e, timeout.Token);
            }
            End(active, failure);
            await Task.Delay(Pace);
        }
    }

    /// <summary>One HTTP/1.1 response with a Content-Length body: status, body, and whether the connection closes after it.</summary>
    private static async Task<(int Status, string Body, bool Close)> ReadResponseAsync(Socket socket, byte[] buffer, CancellationToken cancel)
    {
        var filled = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == buffer.Length)
            {
                throw new FormatException("response head larger than the buffer");
            }
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancel);
            if (n == 0)
            {
                throw new IOException(filled == 0 ? "closed before any response byte" : "closed mid-head");
            }
            filled += n;
        }
        var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
        var lines = head.Split("\r\n");
        if (lines[0].Length < 12 || !lines[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            throw new FormatException("bad status line: " + lines[0]);
        }
        var status = int.Parse(lines[0].AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var length = 0;
        var close = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Contains("close", StringComparison.OrdinalIgnoreCase))
            {
                close = true;
            }
        }
        var bodyStart = headEnd + 4;
        if (bodyStart + length > buffer.Length)
        {
            throw new FormatException("body larger than the buffer");
        }
        while (filled < bodyStart + length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancel);
            if (n == 0)
            {
                throw new IOException("closed mid-body");
            }
            filled += n;
        }
        return (status, Encoding.ASCII.GetString(buffer, bodyStart, length), close);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }
}
