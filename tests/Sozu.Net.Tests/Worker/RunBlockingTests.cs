using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Worker;

public class RunBlockingTests
{
    [Fact(Timeout = 20_000)]
    public async Task RunBlocking_ServesUntilCancelled_ThenReturns()
    {
        using var backend = new HttpBackend();
        // RunBlocking owns its worker, which the test cannot ask for its port: the test binds port 0
        // itself and hands the socket over as an inherited one (no port chosen before binding).
        Assert.True(Sozu.Net.Sockets.NativeAddress.TryParse(WorkerHarness.AnyPort, out var native, out _));
        var inherited = Sozu.Net.Sockets.NativeSocket.Listen(native, out _);
        Assert.True(inherited >= 0);
        var address = $"127.0.0.1:{Sozu.Net.Sockets.NativeSocket.LocalAddress(inherited).Port}";
        var requests = WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5).ToList();
        requests.Add(new Sozu.Messages.Requests.ActivateListener(WorkerHarness.AnyPort, Sozu.Messages.Config.ListenerProtocol.Http, FromScm: true));
        var options = new ProxyWorkerOptions { InheritedListenerFds = new Dictionary<string, int> { [WorkerHarness.AnyPort] = inherited } };
        using var stop = new CancellationTokenSource();
        var worker = new Thread(() => ProxyWorker.RunBlocking(options, requests, stop.Token))
        {
            IsBackground = true,
        };
        worker.Start();

        HttpMessage? response = null;
        for (var i = 0; i < 50 && response is null; i++)
        {
            try
            {
                using var client = HttpClientConnection.Open(address);
                response = client.Get("app.test", "/");
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(200, response?.Status);

        await stop.CancelAsync();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)), "RunBlocking did not return after cancellation");
    }
}
