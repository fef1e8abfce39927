namespace Sozu.Net.Loop;

/// <summary>
/// What epoll last said about a socket, remembered because registration is edge-triggered:
/// an edge is reported once, so a flag stays set until a short read or EAGAIN clears it.
/// A session compares it with its interest instead of asking epoll again.
/// </summary>
[Flags]
public enum Readiness : byte
{
    None = 0,
    Readable = 1,
    Writable = 2,

    /// <summary>The peer shut its write side (EPOLLRDHUP): a read will reach end of stream.</summary>
    PeerClosed = 4,

    /// <summary>EPOLLERR or EPOLLHUP: the socket is dead or a connect failed.</summary>
    Error = 8,
}
