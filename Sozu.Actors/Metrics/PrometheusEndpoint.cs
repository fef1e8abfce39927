using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Metrics;

/// <summary>
/// A tiny HTTP/1.1 server for Prometheus: <c>GET /metrics</c> answers the workers' counters
/// (a query_metrics round) in the text exposition format; anything else is 404 or 405. One
/// request per connection, head bounded to <see cref="MaxHeadBytes"/> and read within
/// <see cref="ReadTimeout"/>, so a scraper cannot hold the endpoint.
/// </summary>
#pragma warning disable CA1001 // an actor's resources are released in PostStop, which Akka calls; it is never disposed by its owner
public sealed class PrometheusEndpoint : ReceiveActor
#pragma warning restore CA1001
{
    public const int MaxHeadBytes = 8 * 1024;

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(4);

    private readonly Socket _listener;
    private readonly IActorRef _configuration;
    private readonly string _prefix;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public PrometheusEndpoint(IActorRef configuration, Socket listener, string prefix)
    {
        _configuration = configuration;
        _listener = listener;
        _prefix = prefix;
    }

    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static Props BindNow(IActorRef configuration, string address, string prefix = "sozu")
    {
        if (!IPEndPoint.TryParse(address, out var endpoint))
        {
            throw new IOException($"prometheus_address \"{address}\" is not IP:PORT");
        }
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(64);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"prometheus_address {address}: {e.Message}", e);
        }
        return Akka.Actor.Props.Create(() => new PrometheusEndpoint(configuration, socket, prefix));
    }

    protected override void PreStart()
    {
        _log.Info("prometheus metrics on http://{0}/metrics", _listener.LocalEndPoint);
        _ = Task.Run(AcceptLoop);
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(token).ConfigureAwait(false);
                _ = Task.Run(() => Serve(client, token), token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task Serve(Socket client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(ReadTimeout);
                var head = await ReadHead(client, timeout.Token).ConfigureAwait(false);
                if (head is null)
                {
                    await Respond(client, "400 Bad Request", "text/plain", "bad request\n", timeout.Token).ConfigureAwait(false);
                    return;
                }
                var requestLine = head[..Math.Max(0, head.IndexOf('\r', StringComparison.Ordinal))];
                var parts = requestLine.Split(' ');
                if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                {
                    await Respond(client, "400 Bad Request", "text/plain", "bad request\n", timeout.Token).ConfigureAwait(false);
                }
                else if (parts[1] != "/metrics" && !parts[1].StartsWith("/metrics?", StringComparison.Ordinal))
                {
                    await Respond(client, "404 Not Found", "text/plain", "only /metrics is served here\n", timeout.Token).ConfigureAwait(false);
                }
                else if (parts[0] != "GET" && parts[0] != "HEAD")
                {
                    await Respond(client, "405 Method Not Allowed", "text/plain", "GET /metrics\n", timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    var answer = await _configuration.Ask<Answer>(new ExecuteRequest("prometheus", new QueryMetrics()), QueryTimeout, stopping).ConfigureAwait(false);
                    if (answer.Content is MetricsContent metrics)
                    {
                        var body = PrometheusText.Format(MetricSamples.From(metrics), _prefix);
                        await Respond(client, "200 OK", PrometheusText.ContentType, parts[0] == "HEAD" ? null : body, timeout.Token, Encoding.UTF8.GetByteCount(body)).ConfigureAwait(false);
                    }
                    else
                    {
                        await Respond(client, "503 Service Unavailable", "text/plain", answer.Message + "\n", timeout.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or AskTimeoutException or IOException)
            {
            }
        }
    }

    private static async Task<string?> ReadHead(Socket client, CancellationToken cancellation)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end + 4);
            }
        }
        return null;
    }

    private static async Task Respond(Socket client, string status, string contentType, string? body, CancellationToken cancellation, int? contentLength = null)
    {
        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength ?? bodyBytes.Length}\r\nConnection: close\r\n\r\n";
        var bytes = new byte[Encoding.ASCII.GetByteCount(head) + bodyBytes.Length];
        var written = Encoding.ASCII.GetBytes(head, bytes);
        bodyBytes.CopyTo(bytes, written);
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await client.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellation).ConfigureAwait(false);
        }
        client.Shutdown(SocketShutdown.Both);
    }
}
