using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace Sozu.Actors.Remoting;

/// <summary>
/// One connected Unix-domain socket carrying Akka protocol frames, each a 4-byte little-endian
/// length then the payload. Reading starts only once Akka registers its listener through
/// <see cref="AssociationHandle.ReadHandlerSource"/>. Writes are queued and sent in batches by
/// one writer loop; the queue is bounded in bytes, and <see cref="Write"/> returns false when
/// it is full so that Akka backs off instead of this process buffering without limit.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The token source is cancelled when the handle closes, which also disposes its timer; the loops using its token outlive any Dispose call Akka would never make.")]
internal sealed class UnixDomainSocketAssociationHandle : AssociationHandle
{
    private const int FrameHeaderBytes = 4;

    /// <summary>Most Akka frames are small; a batch buffer this size holds hundreds of them.</summary>
    private const int DefaultBufferBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly UnixDomainSocketTransportSettings _settings;
    private readonly Action<UnixDomainSocketAssociationHandle> _onClosed;
    private readonly Channel<ByteString> _sendQueue = Channel.CreateUnbounded<ByteString>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _queuedBytes;
    private int _disassociateRequested;
    private int _closeStarted;
    private int _disassociatedNotified;

    public UnixDomainSocketAssociationHandle(
        Socket socket,
        Address localAddress,
        Address remoteAddress,
        UnixDomainSocketTransportSettings settings,
        Action<UnixDomainSocketAssociationHandle> onClosed)
        : base(localAddress, remoteAddress)
    {
        _socket = socket;
        _settings = settings;
        _onClosed = onClosed;
    }

    /// <summary>Completes when the socket is closed, whichever side closed it.</summary>
    public Task Closed => _closed.Task;

    public void Start()
    {
        _ = Task.Run(WriteLoopAsync);
        _ = Task.Run(ReadLoopAsync);
    }

    public override bool Write(ByteString payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (Volatile.Read(ref _disassociateRequested) != 0)
        {
            return false;
        }
        var size = (long)payload.Length + FrameHeaderBytes;
        var queued = Interlocked.Add(ref _queuedBytes, size);
        // An empty queue always takes one frame, however large, so progress is guaranteed.
        if (queued > _settings.SendQueueLimit && queued != size)
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return false;
        }
        if (!_sendQueue.Writer.TryWrite(payload))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return false;
        }
        return true;
    }

    /// <summary>Stops accepting writes, flushes what is queued (bounded by the flush timeout), then closes.</summary>
    [Obsolete("Akka calls this overload; it is idempotent.")]
    public override void Disassociate()
    {
        if (Interlocked.Exchange(ref _disassociateRequested, 1) != 0)
        {
            return;
        }
        _sendQueue.Writer.TryComplete();
        _closing.CancelAfter(_settings.FlushTimeout);
    }

    /// <summary>Closes at once, dropping queued frames.</summary>
    public void Abort() => Close();

    private async Task WriteLoopAsync()
    {
        var reader = _sendQueue.Reader;
        var batch = ArrayPool<byte>.Shared.Rent(DefaultBufferBytes);
        try
        {
            while (await reader.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                var used = 0;
                while (reader.TryPeek(out var next))
                {
                    var frame = FrameHeaderBytes + next.Length;
                    if (used > 0 && used + frame > batch.Length)
                    {
                        break;
                    }
                    if (frame > batch.Length)
                    {
                        ArrayPool<byte>.Shared.Return(batch);
                        batch = ArrayPool<byte>.Shared.Rent(frame);
                    }
                    reader.TryRead(out _);
                    BinaryPrimitives.WriteInt32LittleEndian(batch.AsSpan(used), next.Length);
                    next.Span.CopyTo(batch.AsSpan(used + FrameHeaderBytes));
                    used += frame;
                }
                await SendAllAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                Interlocked.Add(ref _queuedBytes, -used);
                if (batch.Length > DefaultBufferBytes)
                {
                    ArrayPool<byte>.Shared.Return(batch);
                    batch = ArrayPool<byte>.Shared.Rent(DefaultBufferBytes);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away or the flush timed out; the read loop reports the disassociation.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            Close();
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, _closing.Token).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private async Task ReadLoopAsync()
    {
        var registered = await Task.WhenAny(ReadHandlerSource.Task, _closed.Task).ConfigureAwait(false);
        if (registered != ReadHandlerSource.Task || !ReadHandlerSource.Task.IsCompletedSuccessfully)
        {
            Close();
            return;
        }
        var listener = ReadHandlerSource.Task.Result;
        var buffer = ArrayPool<byte>.Shared.Rent(DefaultBufferBytes);
        try
        {
            int start = 0, end = 0;
            while (true)
            {
                var needed = FrameHeaderBytes;
                while (end - start >= FrameHeaderBytes)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start));
                    if (length < 0 || length > _settings.MaximumFrameSize)
                    {
                        throw new InvalidDataException(
                            $"A frame of {length} bytes from {RemoteAddress} exceeds maximum-frame-size {_settings.MaximumFrameSize}.");
                    }
                    needed = FrameHeaderBytes + length;
                    if (end - start < needed)
                    {
                        break;
                    }
                    listener.Notify(new InboundPayload(ByteString.CopyFrom(buffer, start + FrameHeaderBytes, length)));
                    start += needed;
                    needed = FrameHeaderBytes;
                }
                if (start == end)
                {
                    start = end = 0;
                }
                if (buffer.Length - start < needed || end == buffer.Length)
                {
                    // Move the partial frame to the front, into a larger buffer if it cannot fit.
                    var target = needed > buffer.Length ? ArrayPool<byte>.Shared.Rent(needed) : buffer;
                    buffer.AsSpan(start, end - start).CopyTo(target);
                    if (!ReferenceEquals(target, buffer))
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = target;
                    }
                    end -= start;
                    start = 0;
                }
                var received = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _closing.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }
                end += received;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            if (e is InvalidDataException)
            {
                listener.Notify(new UnderlyingTransportError(e, e.Message));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            NotifyDisassociated(listener);
            Close();
        }
    }

    private void NotifyDisassociated(IHandleEventListener listener)
    {
        if (Interlocked.Exchange(ref _disassociatedNotified, 1) == 0)
        {
            listener.Notify(new Disassociated(DisassociateInfo.Unknown));
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }
        Volatile.Write(ref _disassociateRequested, 1);
        _sendQueue.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: closing is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _closing.Cancel();
        _closed.TrySetResult();
        _onClosed(this);
    }
}
