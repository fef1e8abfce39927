using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Sozu.Messages.Requests;
using Sozu.Net.Listeners;
using Sozu.Net.Sockets;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Support;

/// <summary>
/// One worker's loop driven on the test thread, with no loop thread, no port and no sleep:
/// a client is one end of a socketpair whose other end the loop is handed as an accepted
/// connection, and time moves only when the test moves <see cref="Clock"/>. A test says what
/// the client sends, turns the loop until it has nothing left to do, and reads what came back,
/// so timeouts are checked by moving the clock, never by waiting for the machine.
/// </summary>
internal sealed class LoopHarness : IDisposable
{
    private const int MaxTurns = 200;

    private readonly List<Socket> _clients = [];

    private LoopHarness(ProxyWorker worker, ManualClock clock)
    {
        Worker = worker;
        Clock = clock;
    }

    public ProxyWorker Worker { get; }

    public ManualClock Clock { get; }

    /// <summary>A worker configured by <paramref name="requests"/>; its listeners are not activated (nothing listens on a port).</summary>
    public static LoopHarness Create(ProxyWorkerOptions? options, params ConfigRequest[] requests)
    {
        var clock = new ManualClock(1_000);
        return new LoopHarness(ProxyWorker.Create(options ?? new ProxyWorkerOptions(), requests, clock), clock);
    }

    /// <summary>
    /// A client of the listener at <paramref name="listenerAddress"/>, seen by the proxy as
    /// coming from <paramref name="peer"/>: the test's end of a socketpair, non-blocking.
    /// </summary>
    public Socket Connect(string listenerAddress, string peer = "192.0.2.10:40000")
    {
        Listener? listener = null;
        foreach (var candidate in Worker.Core.ListenerValues)
        {
            if (candidate.Config.Address == listenerAddress)
            {
                listener = candidate;
            }
        }
        Assert.NotNull(listener);
        ArgumentNullException.ThrowIfNull(listener);
        var fds = new int[2];
        Assert.Equal(0, SocketPair(1 /* AF_UNIX */, 1 | 0x800 | 0x80000 /* SOCK_STREAM | NONBLOCK | CLOEXEC */, 0, fds));
        var client = new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)) { Blocking = false };
        _clients.Add(client);
        Worker.Core.Accept(listener, fds[1], NativeAddress.From(IPEndPoint.Parse(peer)));
        return client;
    }

    /// <summary>Runs the loop without blocking until a turn handles no event (at most <see cref="MaxTurns"/> turns).</summary>
    public void Turn()
    {
        for (var i = 0; i < MaxTurns; i++)
        {
            if (Worker.RunOnce(0) == 0 && Worker.RunOnce(0) == 0)
            {
                return;
            }
        }
    }

    /// <summary>Moves the clock, then turns the loop so that the timers now due fire.</summary>
    public void Advance(TimeSpan time)
    {
        Clock.AdvanceMs((long)time.TotalMilliseconds);
        Turn();
    }

    public static void Send(Socket client, string text) => Assert.Equal(text.Length, client.Send(Encoding.ASCII.GetBytes(text)));

    /// <summary>Everything the proxy has written to <paramref name="client"/> so far, and whether it closed.</summary>
    public static (string Text, bool Closed) Received(Socket client)
    {
        var text = new StringBuilder();
        var buffer = new byte[16384];
        while (true)
        {
            int n;
            try
            {
                n = client.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return (text.ToString(), false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return (text.ToString(), true);
            }
            if (n == 0)
            {
                return (text.ToString(), true);
            }
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        Worker.Dispose();
    }

    [DllImport("libc", EntryPoint = "socketpair", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // one libc call, no search path involved
    private static extern int SocketPair(int domain, int type, int protocol, [Out] int[] fds);
#pragma warning restore CA5392, SYSLIB1054
}
