using System.Buffers.Binary;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using Google.Protobuf;
using Sozu.Actors.Remoting;
using Sozu.Actors.Tests.TestSupport;

namespace Sozu.Actors.Tests.Remoting;

/// <summary>The transport SPI on its own, below Akka's protocol layer, on real sockets.</summary>
public sealed class UnixDomainSocketTransportTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TempSocketDirectory _directory = new();
    private readonly ActorSystem _system = ActorSystem.Create("transport-tests", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
    private readonly List<UnixDomainSocketTransport> _transports = [];

    public void Dispose()
    {
        foreach (var transport in _transports)
        {
            transport.Shutdown().Wait(Timeout);
        }
        _system.Terminate().Wait(Timeout);
        _directory.Dispose();
    }

    [Fact]
    public async Task Associate_NobodyOnTheSlot_FailsWithInvalidAssociationException()
    {
        var transport = Transport("worker", 101);
        SocketDirectory.EnsurePrivate(_directory.Path);

        var error = await Assert.ThrowsAsync<InvalidAssociationException>(() => transport.Associate(new Address("unix", "sozu", "supervisor", 1)));

        Assert.Contains("supervisor-1.sock", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unix", "worker", 101, true)]
    [InlineData("akka.unix", "worker", 101, true)]
    [InlineData("akka.tcp", "worker", 101, false)]
    [InlineData("unix", "wor_ker", 101, false)]
    [InlineData("unix", "127.0.0.1", 101, false)]
    [InlineData("unix", "worker", 0, false)]
    public void IsResponsibleFor_OnlyUnixAddressesWithAFileSafeHostAndASlot(string protocol, string host, int port, bool expected)
    {
        var transport = Transport("worker", 101);

        Assert.Equal(expected, transport.IsResponsibleFor(new Address(protocol, "sozu", host, port)));
    }

    [Fact]
    public void IsResponsibleFor_AddressWithoutHost_IsFalse()
    {
        Assert.False(Transport("worker", 101).IsResponsibleFor(new Address("unix", "sozu")));
    }

    [Fact]
    public async Task Listen_ReturnsTheUnixAddressOfTheSlot()
    {
        var transport = Transport("supervisor", 1);

        var (address, _) = await transport.Listen();

        Assert.Equal(new Address("unix", "transport-tests", "supervisor", 1), address);
        Assert.Equal(4 * 1024 * 1024, transport.MaximumPayloadBytes);
        Assert.Equal("unix", transport.SchemeIdentifier);
    }

    [Fact]
    public async Task Write_PeerNotReading_ReturnsFalse_ThenEveryAcceptedFrameArrivesInOrderOnceItReads()
    {
        var server = Transport("supervisor", 1, "maximum-frame-size = 64KiB\nsend-queue-limit = 64KiB");
        var client = Transport("worker", 101, "maximum-frame-size = 64KiB\nsend-queue-limit = 64KiB");
        var (serverAddress, associations) = await server.Listen();
        var inbound = Channel.CreateUnbounded<IAssociationEvent>();
        associations.SetResult(new ChannelAssociationListener(inbound.Writer));

        var outbound = await client.Associate(serverAddress);
        outbound.ReadHandlerSource.SetResult(new ChannelHandleListener(Channel.CreateUnbounded<IHandleEvent>().Writer));
        var accepted = ((InboundAssociation)await inbound.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Association;

        var frame = new byte[8 * 1024];
        var written = 0;
        var refused = false;
        var deadline = DateTime.UtcNow + Timeout;
        while (written < 10_000 && DateTime.UtcNow < deadline)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame, written);
            if (!outbound.Write(ByteString.CopyFrom(frame)))
            {
                refused = true;
                break;
            }
            written++;
        }
        Assert.True(refused, $"Write never refused after {written} frames of 8 KiB to a peer that does not read.");

        var received = Channel.CreateUnbounded<IHandleEvent>();
        accepted.ReadHandlerSource.SetResult(new ChannelHandleListener(received.Writer));
        for (var expected = 0; expected < written; expected++)
        {
            var payload = (InboundPayload)await received.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            Assert.Equal(frame.Length, payload.Payload.Length);
            Assert.Equal(expected, BinaryPrimitives.ReadInt32LittleEndian(payload.Payload.Span));
        }
        // Writable again once the peer reads; the writer's own queue drains on its thread, so the
        // first retry may still find it full (seen once at load ~30): bounded retries.
        var acceptedAgain = false;
        var retryUntil = DateTime.UtcNow + Timeout;
        while (!acceptedAgain && DateTime.UtcNow < retryUntil)
        {
            acceptedAgain = outbound.Write(ByteString.CopyFrom(frame));
            if (!acceptedAgain)
            {
                await Task.Delay(10);
            }
        }
        Assert.True(acceptedAgain, "Write still refused after the peer read every frame");
    }

    [Fact]
    public async Task Disassociate_OneSide_TheOtherSideIsToldDisassociated()
    {
        var server = Transport("supervisor", 1);
        var client = Transport("worker", 101);
        var (serverAddress, associations) = await server.Listen();
        var inbound = Channel.CreateUnbounded<IAssociationEvent>();
        associations.SetResult(new ChannelAssociationListener(inbound.Writer));
        var outbound = await client.Associate(serverAddress);
        outbound.ReadHandlerSource.SetResult(new ChannelHandleListener(Channel.CreateUnbounded<IHandleEvent>().Writer));
        var accepted = ((InboundAssociation)await inbound.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Association;
        var received = Channel.CreateUnbounded<IHandleEvent>();
        accepted.ReadHandlerSource.SetResult(new ChannelHandleListener(received.Writer));

        Assert.True(outbound.Write(ByteString.CopyFromUtf8("last words")));
#pragma warning disable CS0618 // the overload Akka itself calls
        outbound.Disassociate();
        outbound.Disassociate();
#pragma warning restore CS0618

        var payload = Assert.IsType<InboundPayload>(await received.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal("last words", payload.Payload.ToStringUtf8());
        Assert.IsType<Disassociated>(await received.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
        Assert.False(outbound.Write(ByteString.CopyFromUtf8("too late")));
    }

    [Fact]
    public async Task Read_FrameLongerThanTheMaximum_ReportsAnErrorAndDisassociates()
    {
        var server = Transport("supervisor", 1, "maximum-frame-size = 64KiB\nsend-queue-limit = 64KiB");
        var (_, associations) = await server.Listen();
        var inbound = Channel.CreateUnbounded<IAssociationEvent>();
        associations.SetResult(new ChannelAssociationListener(inbound.Writer));
        using var raw = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await raw.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(SocketDirectory.SocketPath(_directory.Path, "supervisor", 1)));
        var accepted = ((InboundAssociation)await inbound.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Association;
        var received = Channel.CreateUnbounded<IHandleEvent>();
        accepted.ReadHandlerSource.SetResult(new ChannelHandleListener(received.Writer));

        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, 100 * 1024 * 1024);
        await raw.SendAsync(header);

        Assert.IsType<UnderlyingTransportError>(await received.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
        Assert.IsType<Disassociated>(await received.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
    }

    private UnixDomainSocketTransport Transport(string host, int slot, string extra = "")
    {
        var config = ConfigurationFactory.ParseString($"""
            socket-dir = "{_directory.Path}"
            hostname = "{host}"
            port = {slot}
            {extra}
            """);
        var transport = new UnixDomainSocketTransport(_system, config);
        _transports.Add(transport);
        return transport;
    }

    private sealed class ChannelAssociationListener(ChannelWriter<IAssociationEvent> events) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev) => events.TryWrite(ev);
    }

    private sealed class ChannelHandleListener(ChannelWriter<IHandleEvent> events) : IHandleEventListener
    {
        public void Notify(IHandleEvent ev) => events.TryWrite(ev);
    }
}
