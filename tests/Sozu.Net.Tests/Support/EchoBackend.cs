using System.Net;
using System.Net.Sockets;

namespace Sozu.Net.Tests.Support;

/// <summary>A blocking TCP server on 127.0.0.1 that echoes every byte, one thread per connection.</summary>
internal sealed class EchoBackend : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public EchoBackend()
    {
        _listener.Start();
        var thread = new Thread(AcceptLoop) { IsBackground = true, Name = "echo-backend" };
        thread.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            new Thread(() => Echo(client)) { IsBackground = true }.Start();
        }
    }

    private static void Echo(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[65536];
            try
            {
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    stream.Write(buffer, 0, n);
                }
                // The client half-closed: pass it on.
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The peer or Dispose closed the connection: an escaping exception would end the test host.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
