using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>One request on a new connection (Connection: close); the status and body, or the failure.</summary>
internal static class HttpProbe
{
    public static async Task<(int Status, string Body)> GetAsync(int port, string host, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancel.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), cancel.Token);
            using var response = new MemoryStream();
            await stream.CopyToAsync(response, cancel.Token);
            var text = Encoding.ASCII.GetString(response.ToArray());
            if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || text.Length < 12)
            {
                return (-1, text);
            }
            var bodyAt = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return (int.Parse(text.AsSpan(9, 3), provider: null), bodyAt < 0 ? "" : text[(bodyAt + 4)..]);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return (-1, e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>Polls until a request is answered 200 by <paramref name="body"/> (null: any), or the time is up.</summary>
    public static async Task<bool> WaitForAsync(int port, string host, string? body, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var (status, text) = await GetAsync(port, host, TimeSpan.FromSeconds(2));
            if (status == 200 && (body is null || text == body))
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
