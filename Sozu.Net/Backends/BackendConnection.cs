using Sozu.Net.Sockets;

namespace Sozu.Net.Backends;

/// <summary>
/// A connection to a backend. Checked out by one session at a time; between requests it is
/// parked, still registered with the loop, in its backend's LIFO idle stack, where any event
/// (the backend closed it, or sent bytes nobody asked for) makes it close itself.
/// </summary>
internal sealed class BackendConnection(BackendRuntime backend, BackendPool pool) : ISocketOwner
{
    public SocketEndpoint Socket { get; } = new();

    public BackendRuntime Backend { get; } = backend;

    /// <summary>The non-blocking connect has completed (SO_ERROR was 0).</summary>
    public bool Connected { get; set; }

    /// <summary>Taken from the idle stack: a failure before any response byte is worth one retry.</summary>
    public bool Reused { get; set; }

    public bool Idle { get; set; }

    /// <summary>
    /// It started with a PROXY header (send_proxy): it told its backend who the client is, so it
    /// belongs to that client's session and never enters the shared pool.
    /// </summary>
    public bool CarriesProxyHeader { get; set; }

    /// <summary>Checked out for one HTTP request (counted in the backend's in-flight requests).</summary>
    public bool ForRequest { get; set; }

    internal BackendConnection? IdleBelow { get; set; }

    internal BackendConnection? IdleAbove { get; set; }

    public void OnSocketReady(SocketEndpoint socket)
    {
        if (Idle && (socket.Readiness & (Loop.Readiness.Readable | Loop.Readiness.PeerClosed | Loop.Readiness.Error)) != 0)
        {
            pool.DiscardIdle(this);
        }
    }
}
