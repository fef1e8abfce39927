using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>A worker with one HTTPS listener routing every host to one plain HTTP backend.</summary>
internal sealed class HttpsHarness : IDisposable
{
    private HttpsHarness(WorkerHarness worker, HttpBackend backend, string address)
    {
        Worker = worker;
        Backend = backend;
        Address = address;
    }

    private const int SoSndBuf = 7;

    public WorkerHarness Worker { get; }

    public HttpBackend Backend { get; }

    public string Address { get; }

    /// <param name="sendBuffer">When above 0, the listening socket is made by the test with this SO_SNDBUF (accepted sockets inherit it) and handed to the worker as an inherited socket.</param>
    /// <param name="options">The worker's options; null for the defaults.</param>
    public static HttpsHarness Start(Func<HttpsListenerConfig, HttpsListenerConfig>? configure = null, HstsConfig? frontendHsts = null, Action<HttpMessage, Stream>? handler = null, int sendBuffer = 0, Sozu.Net.Worker.ProxyWorkerOptions? options = null, params CertificateAndKey[] certificates)
    {
        var backend = new HttpBackend(handler);
        var address = FreePort.Address();
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
            Assert.True(Sozu.Net.Sockets.NativeAddress.TryParse(address, out var native, out _));
            var fd = Sozu.Net.Sockets.NativeSocket.Listen(native, out _);
            Assert.True(fd >= 0);
            Sozu.Net.Sockets.NativeSocket.SetOption(fd, Sozu.Net.Interop.Libc.SolSocket, SoSndBuf, sendBuffer);
            options = (options ?? new Sozu.Net.Worker.ProxyWorkerOptions()) with { MaxBuffers = 64, BufferSize = 16384, InheritedListenerFds = new Dictionary<string, int> { [address] = fd } };
            requests.Add(new ActivateListener(address, ListenerProtocol.Https, FromScm: true));
        }
        try
        {
            return new HttpsHarness(WorkerHarness.Start(options, [.. requests]), backend, address);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    public Task<Sozu.Net.Tls.TlsCounters?> Counters() => Worker.Worker.QueryTlsAsync(Address);

    public void Dispose()
    {
        Worker.Dispose();
        Backend.Dispose();
    }

    public static ValueList<T> List<T>(params T[] items) => ValueList<T>.From(items);
}
