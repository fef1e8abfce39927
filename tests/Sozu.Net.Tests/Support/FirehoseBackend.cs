using System.Net;
using System.Net.Sockets;

namespace Sozu.Net.Tests.Support;

/// <summary>A TCP server that writes a fixed number of bytes to every connection, then closes it.</summary>
internal sealed class FirehoseBackend : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _bytes;

    public FirehoseBackend(int bytes)
    {
        _bytes = bytes;
        _listener.Start();
        new Thread(AcceptLoop) { IsBackground = true, Name = "firehose-backend" }.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private void AcceptLoop()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            new Thread(() =>
            {
                using (client)
                {
                    try
                    {
                        var chunk = new byte[65536];
                        for (var sent = 0; sent < _bytes; sent += chunk.Length)
                        {
                            client.GetStream().Write(chunk, 0, Math.Min(chunk.Length, _bytes - sent));
                        }
                    }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                    {
                        // The client went away (or the test ended): an escaping exception would end the test host.
                    }
                }
            }) { IsBackground = true }.Start();
        }
    }

    public void Dispose() => _listener.Stop();
}
