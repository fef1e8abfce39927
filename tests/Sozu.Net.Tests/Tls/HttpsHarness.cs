using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>A worker with one HTTPS listener routing every host to one plain HTTP backend.</summary>
internal sealed class HttpsHarness : IDisposable
{
    private HttpsHarness(WorkerHarness worker, HttpBackend backend, string listen, string address)
    {
        Worker = worker;
        Backend = backend;
        Listen = listen;
        Address = address;
    }

    private const int SoSndBuf = 7;

    public WorkerHarness Worker { get; }

    public HttpBackend Backend { get; }

    /// <summary>The bound "127.0.0.1:port" clients connect to; requests name the listener by <see cref="WorkerHarness.AnyPort"/>.</summary>
    public string Address { get; }

    /// <summary>The listener's configured address, which requests name it by.</summary>
    public string Listen { get; }

    /// <param name="sendBuffer">When above 0, the listening socket is made by the test with this SO_SNDBUF (accepted sockets inherit it) and handed to the worker as an inherited socket.</param>
    /// <param name="options">The worker's options; null for the defaults.</param>
    /// <param name="ownSocket">The listening socket is bound by the test (port 0) and handed over, so the listener is configured with its real port (X-Forwarded-Port is the configured port); otherwise the worker binds "127.0.0.1:0" itself.</param>
    public static HttpsHarness Start(Func<HttpsListenerConfig, HttpsListenerConfig>? configure = null, HstsConfig? frontendHsts = null, Action<HttpMessage, Stream>? handler = null, int sendBuffer = 0, Sozu.Net.Worker.ProxyWorkerOptions? options = null, bool ownSocket = false, params CertificateAndKey[] certificates)
    {
        var backend = new HttpBackend(handler);
        var fd = -1;
        var address = WorkerHarness.AnyPort;
        if (ownSocket || sendBuffer > 0)
        {
            (address, fd) = WorkerHarness.ListenOwnSocket();
        }
        var listener = new HttpsListenerConfig { Address = address, FrontTimeout = 5, BackTimeout = 5, ConnectTimeout = 2, RequestTimeout = 5 };
        listener = configure?.Invoke(listener) ?? listener;
        var requests = new List<ConfigRequest>
        {
            new AddHttpsListener(listener),
            new AddCluster(new Cluster { ClusterId = "app" }),
            new AddHttpsFrontend(new HttpFrontend { ClusterId = "app", Address = address, Hostname = "*", Hsts = frontendHsts }),
            new AddBackend(new Backend { ClusterId = "app", BackendId = "app-0", Address = backend.Address }),
        };
        foreach (var certificate in certificates)
        {
            requests.Add(new AddCertificate(address, certificate));
        }
        if (sendBuffer > 0)
        {
            Sozu.Net.Sockets.NativeSocket.SetOption(fd, Sozu.Net.Interop.Libc.SolSocket, SoSndBuf, sendBuffer);
        }
        if (fd >= 0)
        {
            options = (options ?? new Sozu.Net.Worker.ProxyWorkerOptions()) with { MaxBuffers = 64, BufferSize = 16384, InheritedListenerFds = new Dictionary<string, int> { [address] = fd } };
            requests.Add(new ActivateListener(address, ListenerProtocol.Https, FromScm: true));
        }
        try
        {
            var worker = WorkerHarness.Start(options, [.. requests]);
            return new HttpsHarness(worker, backend, address, worker.BoundAddress(address));
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    public Task<Sozu.Net.Tls.TlsCounters?> Counters() => Worker.Worker.QueryTlsAsync(Listen);

    public void Dispose()
    {
        Worker.Dispose();
        Backend.Dispose();
    }

    public static ValueList<T> List<T>(params T[] items) => ValueList<T>.From(items);
}
