using System.Runtime.InteropServices;
using Sozu.Net.Interop;
using Sozu.Net.Sockets;

namespace Sozu.Net.Tls;

/// <summary>
/// One TLS connection driven by the loop: an SSL with two memory BIOs, a byte transform
/// between the client socket and the protocol stage above it. Ciphertext moves between the
/// socket and the BIOs through the loop's <see cref="TlsScratch"/>; plaintext moves between
/// the BIOs and the stage's pooled buffers. Nothing here allocates managed memory per record.
/// <para>
/// Send keeps the socket contract the stages rely on ("what Send did not take, send again
/// later"): plaintext is encrypted at once, so when the socket cannot take all of the
/// ciphertext, the last plaintext byte is reported as not sent and acknowledged on the next
/// Send, after the rest went out. A stage therefore never believes a response is delivered
/// while its tail still waits in the BIO, and never closes over it.
/// </para>
/// </summary>
internal sealed unsafe class TlsConnection : IDisposable
{
    /// <summary>One TLS record's worth of plaintext per SSL_write: the BIO holds at most about one record.</summary>
    private const int MaxPlaintextPerWrite = 16384;

    private readonly SslHandle _ssl;
    private readonly nint _readBio;
    private readonly nint _writeBio;
    private readonly TlsScratch _scratch;
    private int _owed;
    private bool _closeNotifySent;
    private bool _failed;

    private TlsConnection(SslHandle ssl, nint readBio, nint writeBio, TlsScratch scratch)
    {
        _ssl = ssl;
        _readBio = readBio;
        _writeBio = writeBio;
        _scratch = scratch;
    }

    /// <summary>Decrypted bytes, or ciphertext not yet decrypted, may wait inside OpenSSL: read again even without a socket event.</summary>
    public bool HasBufferedInput { get; private set; }

    public bool HandshakeDone { get; private set; }

    /// <summary>Why the handshake failed, once <see cref="Handshake"/> returned Closed or Error.</summary>
    public TlsFailureReason Failure { get; private set; }

    /// <summary>The negotiated protocol version (0x0303 for TLS 1.2, 0x0304 for TLS 1.3), once the handshake is done.</summary>
    public int Version => LibSsl.SslVersion(_ssl);

    /// <summary>Ciphertext waiting for the socket to become writable.</summary>
    public bool HasPendingOutput => LibCrypto.BioCtrl(_writeBio, LibCrypto.BioCtrlPending, 0, null) > 0;

    /// <summary>
    /// The SSL ex-data slot holding the listener's registry id: OpenSSL's ticket callback has no
    /// argument of its own, and finds the listener (hence the worker's ticket keys) through it.
    /// Slot 0 is the one OpenSSL reserves for the application (SSL_set_app_data).
    /// </summary>
    internal const int ListenerIdIndex = 0;

    /// <summary>A server-side connection on <paramref name="context"/> for listener <paramref name="listenerId"/>; null if OpenSSL cannot allocate one.</summary>
    public static TlsConnection? Create(SslContextHandle context, long listenerId, TlsScratch scratch)
    {
        OpenSslError.Clear();
        var ssl = LibSsl.SslNew(context);
        if (ssl.IsInvalid)
        {
            ssl.Dispose();
            return null;
        }
        var method = LibCrypto.BioSMem();
        var readBio = LibCrypto.BioNew(method);
        var writeBio = LibCrypto.BioNew(method);
        if (readBio == 0 || writeBio == 0)
        {
            if (readBio != 0)
            {
                _ = LibCrypto.BioFree(readBio);
            }
            if (writeBio != 0)
            {
                _ = LibCrypto.BioFree(writeBio);
            }
            ssl.Dispose();
            return null;
        }
        LibSsl.SslSetExData(ssl, ListenerIdIndex, (nint)listenerId);
        // From here SSL_free frees both BIOs.
        LibSsl.SslSetBio(ssl, readBio, writeBio);
        LibSsl.SslSetAcceptState(ssl);
        return new TlsConnection(ssl, readBio, writeBio, scratch);
    }

    /// <summary>Advances the handshake as far as the socket allows.</summary>
    public TlsStatus Handshake(SocketEndpoint socket)
    {
        while (true)
        {
            OpenSslError.Clear();
            var result = LibSsl.SslDoHandshake(_ssl);
            // Whatever the outcome, the handshake messages or the alert go out first.
            var flushed = Flush(socket);
            if (result == 1)
            {
                HandshakeDone = true;
                // The client's first request may have come with its Finished message.
                HasBufferedInput = true;
                if (flushed == IoStatus.Error)
                {
                    Failure = TlsFailureReason.PeerClosed;
                    return TlsStatus.Error;
                }
                // The handshake flights grew both BIOs (1–4 KiB); most connections are idle from here.
                ReleaseIdleBuffers();
                return TlsStatus.Ok;
            }
            var error = LibSsl.SslGetError(_ssl, result);
            if (error == LibSsl.ErrorWantRead && flushed != IoStatus.Error)
            {
                switch (Feed(socket))
                {
                    case IoStatus.Done:
                        continue;
                    case IoStatus.WouldBlock:
                        return TlsStatus.WantRead;
                    case IoStatus.Closed:
                        Failure = TlsFailureReason.PeerClosed;
                        return TlsStatus.Closed;
                    default:
                        // A reset socket (the BIO write cannot fail short of memory).
                        Failure = TlsFailureReason.PeerClosed;
                        return TlsStatus.Error;
                }
            }
            if (error == LibSsl.ErrorWantWrite)
            {
                return TlsStatus.WantWrite;
            }
            _failed = true;
            Failure = error == LibSsl.ErrorSsl && flushed != IoStatus.Error
                ? TlsFailureClassifier.Classify(LibCrypto.ErrGetError())
                : TlsFailureReason.PeerClosed;
            OpenSslError.Clear();
            return error == LibSsl.ErrorZeroReturn ? TlsStatus.Closed : TlsStatus.Error;
        }
    }

    /// <summary>Decrypts into [data, data + room); reads the socket only when OpenSSL needs more ciphertext.</summary>
    public IoStatus Receive(SocketEndpoint socket, byte* data, int room, out int received)
    {
        received = 0;
        while (received < room)
        {
            OpenSslError.Clear();
            var read = LibSsl.SslRead(_ssl, data + received, room - received);
            if (read > 0)
            {
                received += read;
                continue;
            }
            var error = LibSsl.SslGetError(_ssl, read);
            if (error == LibSsl.ErrorWantRead)
            {
                if (received > 0)
                {
                    HasBufferedInput = false;
                    break;
                }
                var fed = Feed(socket);
                if (fed == IoStatus.Done)
                {
                    continue;
                }
                HasBufferedInput = false;
                // A read may have produced an alert or a KeyUpdate answer.
                if (Flush(socket) == IoStatus.Done && fed == IoStatus.WouldBlock)
                {
                    // Nothing to read, nothing to send: the connection waits for its peer.
                    ReleaseIdleBuffers();
                }
                return fed;
            }
            HasBufferedInput = false;
            if (error != LibSsl.ErrorZeroReturn)
            {
                _failed = true;
            }
            _ = Flush(socket);
            if (received > 0)
            {
                // Deliver what came before the end; the same condition is reported on the next call.
                break;
            }
            OpenSslError.Clear();
            return error == LibSsl.ErrorZeroReturn ? IoStatus.Closed : IoStatus.Error;
        }
        if (received == room)
        {
            HasBufferedInput = true;
        }
        if (Flush(socket) == IoStatus.Error)
        {
            return IoStatus.Error;
        }
        return IoStatus.Done;
    }

    /// <summary>Encrypts up to one record of [data, data + length) and sends what the socket takes.</summary>
    public IoStatus Send(SocketEndpoint socket, byte* data, int length, out int sent)
    {
        sent = 0;
        var flushed = Flush(socket);
        if (flushed != IoStatus.Done)
        {
            return flushed;
        }
        if (_owed > 0)
        {
            // The byte held back last time is now in the kernel.
            sent = Math.Min(_owed, length);
            _owed -= sent;
            return IoStatus.Done;
        }
        if (length <= 0)
        {
            return IoStatus.Done;
        }
        OpenSslError.Clear();
        var written = LibSsl.SslWrite(_ssl, data, Math.Min(length, MaxPlaintextPerWrite));
        if (written <= 0)
        {
            _failed = true;
            OpenSslError.Clear();
            return IoStatus.Error;
        }
        flushed = Flush(socket);
        if (flushed == IoStatus.Error)
        {
            return IoStatus.Error;
        }
        if (flushed == IoStatus.WouldBlock)
        {
            _owed = 1;
            sent = written - 1;
            return sent > 0 ? IoStatus.Done : IoStatus.WouldBlock;
        }
        sent = written;
        return IoStatus.Done;
    }

    /// <summary>Sends pending ciphertext: Done when none is left, WouldBlock when the socket is full.</summary>
    public IoStatus Flush(SocketEndpoint socket)
    {
        while (true)
        {
            byte* pending;
            var length = (int)LibCrypto.BioCtrl(_writeBio, LibCrypto.BioCtrlInfo, 0, &pending);
            if (length <= 0)
            {
                return IoStatus.Done;
            }
            if (!socket.IsWritable)
            {
                return IoStatus.WouldBlock;
            }
            var status = socket.SendRaw(pending, length, out var sent);
            if (sent > 0)
            {
                Drop(sent);
            }
            if (status == IoStatus.Error)
            {
                return IoStatus.Error;
            }
            if (sent < length)
            {
                return IoStatus.WouldBlock;
            }
        }
    }

    /// <summary>Queues close_notify and sends it with what is pending; true when nothing is left to send.</summary>
    public bool Shutdown(SocketEndpoint socket)
    {
        if (HandshakeDone && !_failed && !_closeNotifySent)
        {
            _closeNotifySent = true;
            OpenSslError.Clear();
            LibSsl.SslShutdown(_ssl);
            OpenSslError.Clear();
        }
        return Flush(socket) == IoStatus.Done;
    }

    /// <summary>The client's ciphertext into the read BIO, one recv at a time.</summary>
    private IoStatus Feed(SocketEndpoint socket)
    {
        if (!socket.IsRawReadable)
        {
            return IoStatus.WouldBlock;
        }
        var status = socket.ReceiveRaw(_scratch.Data, TlsScratch.Size, out var received);
        if (status != IoStatus.Done)
        {
            return status;
        }
        // A memory BIO grows to take everything: the write cannot be short.
        return LibCrypto.BioWrite(_readBio, _scratch.Data, received) == received ? IoStatus.Done : IoStatus.Error;
    }

    /// <summary>
    /// A memory BIO keeps the largest buffer it ever held (OpenSSL never shrinks it): the
    /// handshake flight, a whole receive (up to 33 KiB) after an upload, a record (16 KiB) after
    /// a download. On an idle connection that would cost as much as the SSL itself, so an empty
    /// BIO gets a fresh, unallocated BUF_MEM when the connection goes quiet — the same
    /// trade as SSL_MODE_RELEASE_BUFFERS makes for OpenSSL's own record buffers.
    /// </summary>
    private void ReleaseIdleBuffers()
    {
        ReleaseIfEmpty(_readBio);
        ReleaseIfEmpty(_writeBio);
    }

    private static void ReleaseIfEmpty(nint bio)
    {
        if (LibCrypto.BioCtrl(bio, LibCrypto.BioCtrlPending, 0, null) != 0)
        {
            return;
        }
        BufMem* buffer = null;
        _ = LibCrypto.BioCtrl(bio, LibCrypto.BioCGetBufMemPtr, 0, &buffer);
        if (buffer == null || buffer->Max == 0)
        {
            return;
        }
        var fresh = LibCrypto.BufMemNew();
        if (fresh != 0)
        {
            // BIO_CLOSE: the BIO owns the new BUF_MEM and frees the old one (and its data) now.
            _ = LibCrypto.BioCtrl(bio, LibCrypto.BioCSetBufMem, LibCrypto.BioClose, (void*)fresh);
        }
    }

    /// <summary>OpenSSL's BUF_MEM (crypto/buffer.h), read only to learn whether a memory BIO holds an allocation.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct BufMem
    {
        public nuint Length;
        public byte* Data;
        public nuint Max;
        public nuint Flags;
    }

    private void Drop(int count)
    {
        while (count > 0)
        {
            var dropped = LibCrypto.BioRead(_writeBio, _scratch.Data, Math.Min(count, TlsScratch.Size));
            if (dropped <= 0)
            {
                return;
            }
            count -= dropped;
        }
    }

    public void Dispose() => _ssl.Dispose();
}
