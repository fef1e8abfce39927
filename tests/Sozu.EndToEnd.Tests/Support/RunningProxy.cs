using System.Net;
using System.Net.Sockets;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>One proxy shared by a test class: a cluster "app" on localhost, a backend, a UDP socket standing in for statsd.</summary>
public sealed class RunningProxy : IAsyncLifetime
{
    public RunningProxy()
    {
        Statsd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Host = new SozuHost { StatsdPort = ((IPEndPoint)Statsd.Client.LocalEndPoint!).Port };
        Backend = new TestBackend("app-backend");
    }

    public SozuHost Host { get; }

    internal TestBackend Backend { get; }

    public UdpClient Statsd { get; }

    public async Task InitializeAsync()
    {
        Host.WriteConfig($$"""
            [clusters.app]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{Host.ListenerPort}}", hostname = "localhost" }]
            backends = [{ address = "{{Backend.Address}}", backend_id = "app-0" }]
            """);
        await Host.StartAsync();
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        Backend.Dispose();
        Statsd.Dispose();
        return Task.CompletedTask;
    }
}
