using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Sockets;
using Sozu.Net.Worker;

namespace Sozu.Net.Tests.Support;

/// <summary>A ProxyWorker running on its own thread for one test; disposing hard-stops it.</summary>
internal sealed class WorkerHarness : IDisposable
{
    private WorkerHarness(ProxyWorker worker) => Worker = worker;

    /// <summary>
    /// The listen address tests configure: the worker binds port 0 itself, so no other process can
    /// take the port between choosing it and binding it. Frontends refer to the listener by this
    /// configured address; clients connect to <see cref="BoundAddress"/>.
    /// </summary>
    public const string AnyPort = "127.0.0.1:0";

    public ProxyWorker Worker { get; }

    /// <summary>
    /// A listening socket the test binds itself on 127.0.0.1 port 0, and its real address, to hand
    /// to a worker as an inherited socket (<c>ActivateListener { FromScm = true }</c>): for a test
    /// whose listener must be configured with its real port (X-Forwarded-Port is the configured
    /// address's port), still without choosing a port before binding it.
    /// </summary>
    public static (string Address, int Fd) ListenOwnSocket()
    {
        if (!NativeAddress.TryParse(AnyPort, out var native, out var error))
        {
            throw new InvalidOperationException(error);
        }
        var fd = NativeSocket.Listen(native, out var errno);
        if (fd < 0)
        {
            throw new InvalidOperationException($"listen on {AnyPort} failed: errno {errno}");
        }
        return ($"127.0.0.1:{NativeSocket.LocalAddress(fd).Port}", fd);
    }

    /// <summary>"127.0.0.1:port" of the port the listener configured at <paramref name="configured"/> got.</summary>
    public string BoundAddress(string configured = AnyPort) => $"127.0.0.1:{BoundPort(configured)}";

    /// <summary>The port the listener configured at <paramref name="configured"/> is bound to (asked on the loop thread).</summary>
    public int BoundPort(string configured = AnyPort)
    {
        var port = Worker.ListenerPortAsync(configured).WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        if (port <= 0)
        {
            throw new InvalidOperationException($"no active listener configured at {configured}");
        }
        return port;
    }

    public static WorkerHarness Start(ProxyWorkerOptions? options = null, params ConfigRequest[] requests) => Start(options, null, requests);

    /// <summary>Starts a worker whose events go to <paramref name="events"/> (set before its loop runs).</summary>
    public static WorkerHarness Start(ProxyWorkerOptions? options, IWorkerEventSink? events, params ConfigRequest[] requests)
    {
        var worker = ProxyWorker.Create(options ?? new ProxyWorkerOptions { MaxBuffers = 64, BufferSize = 16384 }, requests);
        worker.EventSink = events;
        var errors = worker.ActivateAllListeners();
        if (errors.Count > 0)
        {
            worker.Dispose();
            throw new InvalidOperationException(string.Join("; ", errors));
        }
        worker.StartThread();
        return new WorkerHarness(worker);
    }

    public async Task ApplyOk(ConfigRequest request)
    {
        var result = await Worker.ApplyAsync(request).WaitAsync(TimeSpan.FromSeconds(5));
        if (!result.Ok)
        {
            throw new InvalidOperationException(result.Error);
        }
    }

    public static ConfigRequest[] TcpProxy(string listenAddress, string clusterId, params string[] backendAddresses)
    {
        var requests = new List<ConfigRequest>
        {
            new AddTcpListener(new TcpListenerConfig { Address = listenAddress, FrontTimeout = 5, BackTimeout = 5, ConnectTimeout = 1 }),
            new AddCluster(new Cluster { ClusterId = clusterId }),
            new AddTcpFrontend(new TcpFrontend { ClusterId = clusterId, Address = listenAddress }),
        };
        for (var i = 0; i < backendAddresses.Length; i++)
        {
            requests.Add(new AddBackend(new Backend { ClusterId = clusterId, BackendId = $"{clusterId}-{i}", Address = backendAddresses[i] }));
        }
        return [.. requests];
    }

    /// <summary>An HTTP listener routing host "app.test" (every path) to one cluster; 1 s timeouts unless given.</summary>
    public static ConfigRequest[] HttpProxy(string listenAddress, string clusterId, string[] backendAddresses, int timeoutSeconds = 1, int backTimeoutSeconds = 2, StringMap? answers = null)
    {
        var requests = new List<ConfigRequest>
        {
            new AddHttpListener(new HttpListenerConfig
            {
                Address = listenAddress,
                FrontTimeout = timeoutSeconds,
                BackTimeout = backTimeoutSeconds,
                ConnectTimeout = timeoutSeconds,
                RequestTimeout = timeoutSeconds,
                Answers = answers ?? StringMap.Empty,
            }),
            new AddCluster(new Cluster { ClusterId = clusterId }),
            new AddHttpFrontend(new HttpFrontend { ClusterId = clusterId, Address = listenAddress, Hostname = "app.test" }),
        };
        for (var i = 0; i < backendAddresses.Length; i++)
        {
            requests.Add(new AddBackend(new Backend { ClusterId = clusterId, BackendId = $"{clusterId}-{i}", Address = backendAddresses[i] }));
        }
        return [.. requests];
    }

    public void Dispose() => Worker.Dispose();
}
