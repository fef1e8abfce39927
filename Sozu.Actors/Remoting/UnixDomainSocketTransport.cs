using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;

namespace Sozu.Actors.Remoting;

/// <summary>
/// An Akka.Remote transport over Unix-domain stream sockets, for the processes of one host.
/// An address <c>akka.unix://&lt;system&gt;@&lt;host&gt;:&lt;slot&gt;</c> maps to the socket
/// file <c>&lt;socket-dir&gt;/&lt;host&gt;-&lt;slot&gt;.sock</c>: Akka addresses cannot hold a path,
/// so the host is a logical name and the port a slot id. The transport only moves
/// length-prefixed frames; Akka's protocol layer above it does the handshake, heartbeats and
/// codec. Loaded by Akka through <c>transport-class</c> with the (ActorSystem, Config) constructor.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The token source is cancelled when the transport shuts down closes, which also disposes its timer; the loops using its token outlive any Dispose call Akka would never make.")]
public sealed class UnixDomainSocketTransport : Transport
{
    public const string Scheme = "unix";

    private readonly ConcurrentDictionary<UnixDomainSocketAssociationHandle, byte> _handles = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ILoggingAdapter _log;
    private SocketSlot? _slot;
    private Address? _localAddress;
    private int _inboundCount;

    public UnixDomainSocketTransport(ActorSystem system, Config config)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(config);
        System = system;
        Config = config;
        Settings = UnixDomainSocketTransportSettings.Create(config);
        _log = Akka.Event.Logging.GetLogger(system, typeof(UnixDomainSocketTransport));
    }

    public UnixDomainSocketTransportSettings Settings { get; }

    public override string SchemeIdentifier => Scheme;

    public override long MaximumPayloadBytes => Settings.MaximumFrameSize;

    /// <summary>The address this transport listens on (after <see cref="Listen"/>).</summary>
    public Address LocalAddress => _localAddress ?? new Address(Scheme, System.Name, Settings.Hostname, Settings.Port);

    public override Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        // Akka's endpoint manager waits on the returned task: a synchronous throw would leave
        // it (and ActorSystem.Create) waiting forever, so every failure becomes a faulted task.
        try
        {
            return Task.FromResult(Bind());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            _log.Error(e, "Cannot listen on slot {0}-{1} in {2}", Settings.Hostname, Settings.Port, Settings.SocketDirectory);
            return Task.FromException<(Address, TaskCompletionSource<IAssociationEventListener>)>(e);
        }
    }

    private (Address, TaskCompletionSource<IAssociationEventListener>) Bind()
    {
        SocketDirectory.EnsurePrivate(Settings.SocketDirectory);
        var path = SocketDirectory.SocketPath(Settings.SocketDirectory, Settings.Hostname, Settings.Port);
        _slot = SocketSlot.Claim(path, Settings.Backlog);
        _localAddress = new Address(Scheme, System.Name, Settings.Hostname, Settings.Port);
        var associationListener = new TaskCompletionSource<IAssociationEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => AcceptLoopAsync(_slot.Listener, associationListener.Task));
        _log.Debug("Listening on {0} at {1}", _localAddress, path);
        return (_localAddress, associationListener);
    }

    public override bool IsResponsibleFor(Address remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return remote.Protocol is Scheme or "akka." + Scheme
            && UnixDomainSocketTransportSettings.IsValidHostname(remote.Host)
            && remote.Port is int port && UnixDomainSocketTransportSettings.IsValidPort(port);
    }

    public override async Task<AssociationHandle> Associate(Address remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        if (!IsResponsibleFor(remoteAddress))
        {
            throw new InvalidAssociationException(
                $"{remoteAddress} is not a Unix-socket address: it needs a host of [a-z0-9-] and a slot (port) in 1..65535.");
        }
        string path;
        try
        {
            path = SocketDirectory.SocketPath(Settings.SocketDirectory, remoteAddress.Host!, remoteAddress.Port!.Value);
        }
        catch (ArgumentException e)
        {
            throw new InvalidAssociationException(e.Message, e);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
            timeout.CancelAfter(Settings.ConnectTimeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var reason = e is SocketException se ? se.SocketErrorCode.ToString() : "timed out or shut down";
            throw new InvalidAssociationException($"Cannot associate with {remoteAddress}: connecting to '{path}' failed ({reason}).", e);
        }
        return Track(new UnixDomainSocketAssociationHandle(socket, LocalAddress, remoteAddress, Settings, Untrack));
    }

    public override async Task<bool> Shutdown()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _slot?.Dispose();
        var closing = new List<Task>();
        foreach (var handle in _handles.Keys)
        {
#pragma warning disable CS0618 // Akka's reason-taking overload needs a logger; this one is what it calls.
            handle.Disassociate();
#pragma warning restore CS0618
            closing.Add(handle.Closed);
        }
        try
        {
            await Task.WhenAll(closing).WaitAsync(Settings.FlushTimeout + Settings.FlushTimeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            foreach (var handle in _handles.Keys)
            {
                handle.Abort();
            }
            return false;
        }
    }

    private async Task AcceptLoopAsync(Socket listener, Task<IAssociationEventListener> associationListener)
    {
        // Akka completes this promise once its endpoint manager is ready; accepting before
        // then would hand it connections it cannot route yet.
        IAssociationEventListener events;
        try
        {
            events = await associationListener.WaitAsync(_shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!_shutdown.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.Warning("Accepting on {0} failed: {1}", LocalAddress, e.SocketErrorCode);
                continue;
            }
            // The real remote address arrives in Akka's handshake, which replaces this one.
            var inbound = new Address(Scheme, System.Name, "uds-inbound", (Interlocked.Increment(ref _inboundCount) % 65535) + 1);
            var handle = Track(new UnixDomainSocketAssociationHandle(accepted, LocalAddress, inbound, Settings, Untrack));
            events.Notify(new InboundAssociation(handle));
        }
    }

    private UnixDomainSocketAssociationHandle Track(UnixDomainSocketAssociationHandle handle)
    {
        _handles.TryAdd(handle, 0);
        handle.Start();
        return handle;
    }

    private void Untrack(UnixDomainSocketAssociationHandle handle) => _handles.TryRemove(handle, out _);
}
