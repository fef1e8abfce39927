using System.Net.Sockets;
using Sozu.Actors.Remoting;
using Sozu.Actors.Tests.TestSupport;

namespace Sozu.Actors.Tests.Remoting;

public sealed class SocketSlotTests : IDisposable
{
    private readonly TempSocketDirectory _directory = new();

    public SocketSlotTests() => SocketDirectory.EnsurePrivate(_directory.Path);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Claim_LeftoverFileWithNobodyListening_IsReplaced()
    {
        // .NET unlinks a socket file when the socket that bound it closes, so a crashed
        // process is stood in for by a plain file: connecting to it is refused the same way.
        var path = SocketDirectory.SocketPath(_directory.Path, "worker", 101);
        File.WriteAllText(path, "left behind");

        using var slot = SocketSlot.Claim(path, backlog: 4);

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
    }

    [Fact]
    public void Claim_LiveSocketOfAProcessThatHoldsNoLock_IsNotStolen()
    {
        var path = SocketDirectory.SocketPath(_directory.Path, "worker", 102);
        using var live = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        live.Bind(new UnixDomainSocketEndPoint(path));
        live.Listen(1);

        var error = Assert.Throws<IOException>(() => SocketSlot.Claim(path, backlog: 4));

        Assert.Contains("live", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
    }

    [Fact]
    public void Claim_SlotAlreadyClaimed_FailsOnTheLock_AndWorksAgainOnceReleased()
    {
        var path = SocketDirectory.SocketPath(_directory.Path, "worker", 103);
        var first = SocketSlot.Claim(path, backlog: 4);

        var error = Assert.Throws<IOException>(() => SocketSlot.Claim(path, backlog: 4));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);

        first.Dispose();
        Assert.False(File.Exists(path));
        using var second = SocketSlot.Claim(path, backlog: 4);
        Assert.True(File.Exists(path));
    }
}
