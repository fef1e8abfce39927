using Sozu.Net.Loop;
using Sozu.Net.Sockets;
using Sozu.Net.Worker;

namespace Sozu.Net.Backends;

/// <summary>
/// Backend connections shared by every session of the worker (HAProxy's "http-reuse always"):
/// a request checks one out, the end of its response returns it. Measured on this box
/// (notes/epoll-ceiling.md) a shared pool instead of one backend connection per client takes
/// close-heavy traffic from 0.69× to 0.96× HAProxy and halves fds per client.
/// Checkouts are what the balancers' load metrics count, and the end of the last checkout of
/// a removed backend is when its drain is reported.
/// </summary>
internal sealed class BackendPool(EventLoop loop, int maxIdlePerBackend, WorkerEvents events)
{
    public int IdleTotal { get; private set; }

    /// <summary>Backend sockets open now, parked or checked out.</summary>
    public int OpenTotal { get; private set; }

    /// <summary>A parked connection to <paramref name="backend"/>, most recent first, or null.</summary>
    public BackendConnection? TakeIdle(BackendRuntime backend, ISocketOwner owner, bool forRequest = false)
    {
        while (backend.IdleTop is { } connection)
        {
            Unlink(connection);
            if ((connection.Socket.Readiness & (Readiness.Readable | Readiness.PeerClosed | Readiness.Error)) != 0)
            {
                CloseConnection(connection);
                continue;
            }
            connection.Reused = true;
            connection.Socket.SetOwner(owner);
            CheckOut(connection, forRequest);
            return connection;
        }
        return null;
    }

    /// <summary>An errno that says this process is short of fds or memory, rather than the backend failing.</summary>
    public static bool IsLocalShortage(int errno) =>
        errno is Interop.Errno.EMFile or Interop.Errno.ENFile or Interop.Errno.ENoBufs or Interop.Errno.ENoMem;

    /// <summary>Starts a new connection; null when the socket could not even be created.</summary>
    public BackendConnection? Connect(BackendRuntime backend, ISocketOwner owner, out int errno, bool forRequest = false)
    {
        var fd = NativeSocket.Connect(backend.Address, out errno);
        if (fd < 0)
        {
            return null;
        }
        var connection = new BackendConnection(backend, this);
        connection.Socket.Open(loop, fd, owner);
        OpenTotal++;
        CheckOut(connection, forRequest);
        return connection;
    }

    private static void CheckOut(BackendConnection connection, bool forRequest)
    {
        connection.ForRequest = forRequest;
        connection.Backend.ActiveConnections++;
        if (forRequest)
        {
            connection.Backend.InFlightRequests++;
        }
    }

    /// <summary>The request on this connection became something else (a WebSocket pipe): it no longer counts as one.</summary>
    public static void EndRequest(BackendConnection connection)
    {
        if (connection.ForRequest)
        {
            connection.ForRequest = false;
            connection.Backend.InFlightRequests--;
        }
    }

    private void CheckIn(BackendConnection connection)
    {
        EndRequest(connection);
        var backend = connection.Backend;
        backend.ActiveConnections--;
        if (backend.Removed && backend.ActiveConnections == 0)
        {
            events.BackendDrained(backend);
        }
    }

    /// <summary>Ends a checkout: parks the connection when it can serve again, else closes it.</summary>
    public void Release(BackendConnection connection, bool reusable)
    {
        var backend = connection.Backend;
        CheckIn(connection);
        if (!reusable || connection.CarriesProxyHeader || !connection.Connected || backend.Removed || backend.IdleCount >= maxIdlePerBackend
            || !connection.Socket.IsOpen || (connection.Socket.Readiness & (Readiness.PeerClosed | Readiness.Error)) != 0)
        {
            CloseConnection(connection);
            return;
        }
        connection.Idle = true;
        connection.Reused = false;
        connection.Socket.SetOwner(connection);
        connection.IdleBelow = backend.IdleTop;
        connection.IdleAbove = null;
        if (backend.IdleTop is not null)
        {
            backend.IdleTop.IdleAbove = connection;
        }
        backend.IdleTop = connection;
        backend.IdleCount++;
        IdleTotal++;
    }

    /// <summary>
    /// Ends a checkout but keeps the connection out of the shared pool, private to the session
    /// that holds it (send_proxy: its PROXY header named that session's client). False, and
    /// closed, when it cannot serve again.
    /// </summary>
    public bool Hold(BackendConnection connection)
    {
        CheckIn(connection);
        if (!CanServeAgain(connection))
        {
            CloseConnection(connection);
            return false;
        }
        return true;
    }

    /// <summary>Checks a held connection out again for its session's next request; false, and closed, when it went stale.</summary>
    public bool Resume(BackendConnection connection)
    {
        if (!CanServeAgain(connection) || (connection.Socket.Readiness & Readiness.Readable) != 0)
        {
            CloseConnection(connection);
            return false;
        }
        connection.Reused = true;
        CheckOut(connection, forRequest: true);
        return true;
    }

    /// <summary>Closes a held connection its session no longer wants.</summary>
    public void CloseHeld(BackendConnection connection) => CloseConnection(connection);

    private static bool CanServeAgain(BackendConnection connection) =>
        connection.Connected && !connection.Backend.Removed && connection.Socket.IsOpen
        && (connection.Socket.Readiness & (Readiness.PeerClosed | Readiness.Error)) == 0;

    /// <summary>Abandons a checkout whose connection failed or cannot be reused.</summary>
    public void Abort(BackendConnection connection)
    {
        CheckIn(connection);
        CloseConnection(connection);
    }

    public void DiscardIdle(BackendConnection connection)
    {
        Unlink(connection);
        CloseConnection(connection);
    }

    public void CloseAllIdle(BackendRuntime backend)
    {
        while (backend.IdleTop is { } connection)
        {
            DiscardIdle(connection);
        }
    }

    private void Unlink(BackendConnection connection)
    {
        if (!connection.Idle)
        {
            return;
        }
        var backend = connection.Backend;
        if (connection.IdleAbove is null)
        {
            backend.IdleTop = connection.IdleBelow;
        }
        else
        {
            connection.IdleAbove.IdleBelow = connection.IdleBelow;
        }
        if (connection.IdleBelow is not null)
        {
            connection.IdleBelow.IdleAbove = connection.IdleAbove;
        }
        connection.IdleAbove = connection.IdleBelow = null;
        connection.Idle = false;
        backend.IdleCount--;
        IdleTotal--;
    }

    private void CloseConnection(BackendConnection connection)
    {
        if (connection.Socket.IsOpen)
        {
            connection.Socket.Close();
            OpenTotal--;
        }
    }
}
