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
        var address = FreePort.Address();
        using var stop = new CancellationTokenSource();
        var worker = new Thread(() => ProxyWorker.RunBlocking(new ProxyWorkerOptions(), WorkerHarness.HttpProxy(address, "app", [backend.Address], timeoutSeconds: 5), stop.Token))
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
