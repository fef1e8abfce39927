using System.Diagnostics;
using System.Net.Sockets;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// Bounded continuous load on a proxy: keep-alive clients (.NET's HttpClient, which reconnects
/// when a response says Connection: close or an idle connection was closed, as real clients do)
/// and a loop of new connections, each request recorded with when it started and how it ended.
/// Every failure counts: an exception, a time-out or a status other than 200.
/// </summary>
internal sealed class TrafficLoad : IAsyncDisposable
{
    private readonly int _port;
    private readonly string _host;
    private readonly int _maxRequests;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Outcome> _outcomes = [];
    private readonly List<Task> _loops = [];
    private readonly HttpClient _keepAlive;
    private int _started;

    public readonly record struct Outcome(TimeSpan StartedAt, TimeSpan Took, bool KeepAlive, int Status, string Error);

    private TrafficLoad(int port, string host, int maxRequests, int keepAliveClients)
    {
        _port = port;
        _host = host;
        _maxRequests = maxRequests;
        _keepAlive = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = keepAliveClients, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Starts <paramref name="keepAliveClients"/> keep-alive loops and one new-connection loop, up to <paramref name="maxRequests"/> in all.</summary>
    public static TrafficLoad Start(int port, string host, int keepAliveClients, int maxRequests)
    {
        var load = new TrafficLoad(port, host, maxRequests, keepAliveClients);
        for (var i = 0; i < keepAliveClients; i++)
        {
            load._loops.Add(Task.Run(load.KeepAliveLoop));
        }
        load._loops.Add(Task.Run(load.NewConnectionLoop));
        return load;
    }

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

    public int Count
    {
        get
        {
            lock (_outcomes)
            {
                return _outcomes.Count;
            }
        }
    }

    /// <summary>Stops starting requests; waits for those under way.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private bool Next() => !_stop.IsCancellationRequested && Interlocked.Increment(ref _started) <= _maxRequests && _clock.Elapsed < TimeSpan.FromSeconds(120);

    private async Task KeepAliveLoop()
    {
        while (Next())
        {
            var startedAt = _clock.Elapsed;
            int status;
            var error = "";
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{_port}/"));
                request.Headers.Host = _host;
                using var response = await _keepAlive.SendAsync(request, CancellationToken.None);
                _ = await response.Content.ReadAsStringAsync();
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                status = -1;
                error = e.GetType().Name + ": " + e.Message;
            }
            Record(new Outcome(startedAt, _clock.Elapsed - startedAt, true, status, error));
            await Task.Delay(20);
        }
    }

    private async Task NewConnectionLoop()
    {
        while (Next())
        {
            var startedAt = _clock.Elapsed;
            var (status, body) = await HttpProbe.GetAsync(_port, _host, TimeSpan.FromSeconds(10));
            Record(new Outcome(startedAt, _clock.Elapsed - startedAt, false, status, status == 200 ? "" : body));
            await Task.Delay(20);
        }
    }

    private void Record(Outcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
        }
    }

    /// <summary>A new connection now: "refused" or "reset" when the proxy is not listening, "accepted" when it is.</summary>
    public static async Task<string> TryConnectAsync(int port, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancel.Token);
            return "accepted";
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return "refused";
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return "reset";
        }
        catch (OperationCanceledException)
        {
            return "hung";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _keepAlive.Dispose();
        _stop.Dispose();
    }
}
