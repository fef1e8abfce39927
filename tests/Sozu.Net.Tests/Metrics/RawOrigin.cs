using System.Net;
using System.Net.Sockets;

namespace Sozu.Net.Tests.Metrics;

/// <summary>
/// An origin that answers every bodiless request head with the same bytes, after a delay, and
/// counts every byte it received and sent, so a test knows what crossed the backend side.
/// </summary>
internal sealed class RawOrigin : IDisposable
{
    private readonly TcpListener _listener;
    private readonly byte[] _response;
    private readonly TimeSpan _delay;
    private long _received;
    private long _sent;

    public RawOrigin(byte[] response, TimeSpan delay)
    {
        _response = response;
        _delay = delay;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        new Thread(AcceptLoop) { IsBackground = true, Name = "raw-origin" }.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public long Received => Interlocked.Read(ref _received);

    public long Sent => Interlocked.Read(ref _sent);

    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            new Thread(() => Serve(socket)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Socket socket)
    {
        using (socket)
        {
            socket.NoDelay = true;
            var pending = new List<byte>();
            var buffer = new byte[16384];
            try
            {
                while (true)
                {
                    var read = socket.Receive(buffer);
                    if (read == 0)
                    {
                        return;
                    }
                    Interlocked.Add(ref _received, read);
                    pending.AddRange(buffer.AsSpan(0, read));
                    int end;
                    while ((end = HeadEnd(pending)) >= 0)
                    {
                        pending.RemoveRange(0, end);
                        Thread.Sleep(_delay);
                        // Counted before sending: once sent, the client may read the response and
                        // compare counts before this thread ran again (2,660 of 2,800 seen in CI).
                        Interlocked.Add(ref _sent, _response.Length);
                        socket.Send(_response);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>The length of the first complete head in <paramref name="bytes"/>, or -1.</summary>
    private static int HeadEnd(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
        {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r')
            {
                return i + 1;
            }
        }
        return -1;
    }

    public void Dispose() => _listener.Stop();
}
