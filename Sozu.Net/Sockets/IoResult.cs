namespace Sozu.Net.Sockets;

/// <summary>What one recv or send did, as a small enum the hot path branches on.</summary>
public enum IoStatus
{
    /// <summary>Some bytes moved; the count is in the result.</summary>
    Done,

    /// <summary>EAGAIN: nothing to read, or the kernel buffer is full.</summary>
    WouldBlock,

    /// <summary>recv returned 0: the peer will send nothing more.</summary>
    Closed,

    /// <summary>ECONNRESET, EPIPE or another error: the socket is dead.</summary>
    Error,
}
