using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;

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

    public WorkerHarness Worker { get; }

    public HttpBackend Backend { get; }

    public string Address { get; }

    public static HttpsHarness Start(Func<HttpsListenerConfig, HttpsListenerConfig>? configure = null, HstsConfig? frontendHsts = null, Action<HttpMessage, Stream>? handler = null, params CertificateAndKey[] certificates)
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
        try
        {
            return new HttpsHarness(WorkerHarness.Start(null, [.. requests]), backend, address);
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
