using System.Net.Sockets;
using Xunit;
using Sozu.Net.Listeners;
using Sozu.Net.Sockets;
using Sozu.Net.Tests.Support;

namespace Sozu.Net.Tests.Listeners;

/// <summary>The supervisor's shared listening sockets, handed out with SCM_RIGHTS over a Unix-domain socket.</summary>
public sealed class SharedListenSocketTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sozu-shared-").FullName;

    private static string SocketOf(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? "";

    [Fact]
    public void Fetch_TwiceForOneAddress_GivesTwoDescriptorsOfTheServersOneSocket()
    {
        using var server = SharedListenSocketServer.Start(Path.Combine(_directory, "listeners.sock"));
        // The server binds port 0 itself; the address stays the socket's key.
        const string address = WorkerHarness.AnyPort;
        var own = server.GetOrOpen(address, out var error);
        Assert.True(own >= 0, error);

        var first = SharedListenSocket.Fetch(Path.Combine(_directory, "listeners.sock"), address, out error);
        var second = SharedListenSocket.Fetch(Path.Combine(_directory, "listeners.sock"), address, out _);
        try
        {
            Assert.True(first >= 0, error);
            Assert.NotEqual(first, second);
            Assert.StartsWith("socket:[", SocketOf(first), StringComparison.Ordinal);
            Assert.Equal(SocketOf(own), SocketOf(first));
            Assert.Equal(SocketOf(own), SocketOf(second));

            // One accept queue: a connection made now is accepted through the fetched descriptor.
            using var client = new TcpClient();
            client.Connect(NativeSocket.LocalAddress(own).ToEndPoint());
            var accepted = -1;
            for (var i = 0; i < 200 && accepted < 0; i++)
            {
                accepted = NativeSocket.Accept(first, out _, out _);
                if (accepted < 0)
                {
                    Thread.Sleep(5);
                }
            }
            Assert.True(accepted >= 0);
            NativeSocket.Close(accepted);
        }
        finally
        {
            NativeSocket.Close(first);
            NativeSocket.Close(second);
        }
    }

    [Fact]
    public void Adopt_AnInheritedSocket_IsTheOneHandedOutAndHandedOn()
    {
        using var server = SharedListenSocketServer.Start(Path.Combine(_directory, "listeners.sock"));
        const string address = WorkerHarness.AnyPort;
        // What upgrade_main passes on: a socket the previous supervisor opened (here: opened directly).
        var inherited = SharedListenSocket.Open(address, out var error);
        Assert.True(inherited >= 0, error);
        Assert.True(server.Adopt(address, inherited));

        Assert.Equal(inherited, server.GetOrOpen(address, out _));
        Assert.Equal([new KeyValuePair<string, int>(address, inherited)], server.Snapshot());
        var fetched = SharedListenSocket.Fetch(Path.Combine(_directory, "listeners.sock"), address, out error);
        try
        {
            Assert.True(fetched >= 0, error);
            Assert.Equal(SocketOf(inherited), SocketOf(fetched));
        }
        finally
        {
            SharedListenSocket.Close(fetched);
        }

        // A second socket for the address is not taken (the caller keeps it).
        var other = SharedListenSocket.Open(address, out _);
        Assert.False(server.Adopt(address, other));
        SharedListenSocket.Close(other);
        Assert.Equal(inherited, server.GetOrOpen(address, out _));
    }

    [Fact]
    public void Fetch_ABadAddress_IsRefusedWithTheServersReason()
    {
        using var server = SharedListenSocketServer.Start(Path.Combine(_directory, "listeners.sock"));
        var fd = SharedListenSocket.Fetch(Path.Combine(_directory, "listeners.sock"), "nowhere", out var error);
        Assert.Equal(-1, fd);
        Assert.Contains("not an ip:port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_WithNoServer_FailsWithAReason()
    {
        var fd = SharedListenSocket.Fetch(Path.Combine(_directory, "absent.sock"), WorkerHarness.AnyPort, out var error);
        Assert.Equal(-1, fd);
        Assert.Contains("no shared socket for", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
