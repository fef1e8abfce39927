using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.CommandSocket;

/// <summary>State files across a restart, reloads under a live connection, events of a dying worker: each with its own proxy.</summary>
public sealed class StateAndReloadEndToEndTests
{
    [Fact]
    public async Task SaveThenRestartThenLoad_GivesTheSameRouting()
    {
        using var backend = new TestBackend("saved-backend");
        using var host = new SozuHost();
        host.WriteConfig();
        await host.StartAsync();
        var address = $"127.0.0.1:{host.ListenerPort}";
        await Ok(host, new AddCluster(new Cluster { ClusterId = "saved" }));
        await Ok(host, new AddBackend(new Backend { ClusterId = "saved", BackendId = "saved-0", Address = backend.Address }));
        await Ok(host, new AddHttpFrontend(new HttpFrontend { ClusterId = "saved", Address = address, Hostname = "saved.local" }));
        var hashes = await Hashes(host);
        var file = Path.Combine(host.Directory, "state.json");
        await Ok(host, new SaveState(file));

        host.Stop();
        await host.StartAsync();
        Assert.NotEqual(hashes, await Hashes(host));
        Assert.Equal(404, (await HttpConnection.GetOnceAsync(host.ListenerPort, "saved.local")).Status);

        var progress = new List<Answer>();
        var loaded = await host.ExecuteAsync(new LoadState(file), progress.Add);
        Assert.Equal(AnswerStatus.Ok, loaded.Status);
        Assert.NotEmpty(progress);
        Assert.Equal(hashes, await Hashes(host));
        var (status, body) = await HttpConnection.GetOnceAsync(host.ListenerPort, "saved.local");
        Assert.Equal(200, status);
        Assert.Equal("saved-backend", body);
    }

    [Fact]
    public async Task SavedState_IsLoadedAtStartUp()
    {
        using var host = new SozuHost();
        host.WriteConfig();
        await host.StartAsync();
        await Ok(host, new AddCluster(new Cluster { ClusterId = "at-start" }));
        var file = Path.Combine(host.Directory, "saved.json");
        await Ok(host, new SaveState(file));
        var hashes = await Hashes(host);
        host.Stop();

        host.WriteConfig(savedState: file);
        await host.StartAsync();
        Assert.Equal(hashes, await Hashes(host));
    }

    [Fact]
    public async Task EmptySavedState_IsAcceptedByLoadState_AndAtStartUp()
    {
        using var host = new SozuHost();
        host.WriteConfig();
        await host.StartAsync();
        // The file's only object is its listener: without it the state is empty.
        await Ok(host, new RemoveListener($"127.0.0.1:{host.ListenerPort}", ListenerProtocol.Http));
        Assert.Empty(Assert.IsType<ListenersContent>((await host.ExecuteAsync(new ListListeners())).Content).Listeners);
        var file = Path.Combine(host.Directory, "empty-state.json");
        await Ok(host, new SaveState(file));
        await Ok(host, new LoadState(file));

        host.Stop();
        host.WriteConfig(savedState: file);
        await host.StartAsync();
        Assert.Single(Assert.IsType<ListenersContent>((await host.ExecuteAsync(new ListListeners())).Content).Listeners);
    }

    [Fact]
    public async Task Reload_AppliesOnlyTheDifference_WithoutDroppingAnOpenKeepAliveConnection()
    {
        using var first = new TestBackend("first");
        using var second = new TestBackend("second");
        using var host = new SozuHost();
        string Routing(bool withSecond) => $$"""
            [clusters.first]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "first.local" }]
            backends = [{ address = "{{first.Address}}", backend_id = "first-0" }]
            """ + (withSecond ? $$"""

            [clusters.second]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "second.local" }]
            backends = [{ address = "{{second.Address}}", backend_id = "second-0" }]
            """ : "");
        host.WriteConfig(Routing(withSecond: false));
        await host.StartAsync();

        using var keptAlive = new HttpConnection(host.ListenerPort);
        Assert.Equal((200, "first"), await keptAlive.GetAsync("first.local"));
        var firstHashBefore = (await HashList(host)).Single(h => h.ClusterId == "first").Hash;

        host.WriteConfig(Routing(withSecond: true));
        var answer = await host.ExecuteAsync(new ReloadConfiguration());
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        var content = Assert.IsType<StateFileContent>(answer.Content);
        Assert.Equal(3, content.Applied); // cluster, backend, frontend of "second"; nothing of "first"

        Assert.Equal((200, "first"), await keptAlive.GetAsync("first.local"));
        Assert.Equal((200, "second"), await HttpConnection.GetOnceAsync(host.ListenerPort, "second.local"));
        Assert.Equal(firstHashBefore, (await HashList(host)).Single(h => h.ClusterId == "first").Hash);
    }

    [Fact]
    public async Task KilledWorker_IsReportedAsAnEvent_ToSubscribers()
    {
        using var host = new SozuHost();
        host.WriteConfig();
        await host.StartAsync();
        await using var subscriber = await host.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Assert.Equal(AnswerStatus.Ok, (await subscriber.ExecuteAsync(new SubscribeEvents(), cancellation: timeout.Token)).Status);

        var workers = Assert.IsType<WorkersContent>((await host.ExecuteAsync(new ListWorkers())).Content);
        var worker = workers.Workers[0];
        // The worker is a child of the supervisor this test started.
        using (var process = System.Diagnostics.Process.GetProcessById(worker.Pid))
        {
            process.Kill();
        }

        var kinds = new List<EventKind>();
        while (!kinds.Contains(EventKind.WorkerRestarted))
        {
            var next = await subscriber.ReadEventAsync(timeout.Token) ?? throw new IOException("the supervisor closed the subscription");
            kinds.Add(next.Event.Kind);
            Assert.Equal(worker.Id, next.Event.WorkerId);
        }
        Assert.Equal(EventKind.WorkerCrashed, kinds[0]);
    }

    [Fact]
    public async Task KilledBackend_IsReportedAsBackendDown_ToSubscribers()
    {
        var backend = new TestBackend("doomed");
        using var host = new SozuHost();
        host.WriteConfig($$"""
            [clusters.app]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "app.local" }]
            backends = [{ address = "{{backend.Address}}", backend_id = "app-0" }]
            """);
        await host.StartAsync();
        await using var subscriber = await host.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(AnswerStatus.Ok, (await subscriber.ExecuteAsync(new SubscribeEvents(), cancellation: timeout.Token)).Status);
        Assert.Equal(200, (await HttpConnection.GetOnceAsync(host.ListenerPort, "app.local")).Status);

        backend.Dispose();
        // Refused connects are failures; a run of them marks the backend down in whichever
        // worker serves these requests (each worker keeps its own health view).
        for (var i = 0; i < 12; i++)
        {
            var (status, _) = await HttpConnection.GetOnceAsync(host.ListenerPort, "app.local");
            Assert.True(status is 502 or 503, $"request {i}: status {status}");
        }

        Event? down = null;
        for (var i = 0; i < 20 && down is null; i++)
        {
            var next = await subscriber.ReadEventAsync(timeout.Token) ?? throw new IOException("the supervisor closed the subscription");
            if (next.Event.Kind == EventKind.BackendDown)
            {
                down = next.Event;
            }
        }
        Assert.NotNull(down);
        Assert.Equal("app", down.ClusterId);
        Assert.Equal("app-0", down.BackendId);
    }

    [Fact]
    public async Task RemovedCluster_TakesItsFrontendsOutOfTheWorkers_SoTheyCanBeAddedAgain()
    {
        using var backend = new TestBackend("again");
        using var host = new SozuHost();
        host.WriteConfig();
        await host.StartAsync();
        var address = $"127.0.0.1:{host.ListenerPort}";
        var cluster = new AddCluster(new Cluster { ClusterId = "again" });
        var server = new AddBackend(new Backend { ClusterId = "again", BackendId = "again-0", Address = backend.Address });
        var frontend = new AddHttpFrontend(new HttpFrontend { ClusterId = "again", Address = address, Hostname = "again.local" });
        await Ok(host, cluster);
        await Ok(host, server);
        await Ok(host, frontend);

        await Ok(host, new RemoveCluster("again"));
        Assert.Equal(404, (await HttpConnection.GetOnceAsync(host.ListenerPort, "again.local")).Status);

        await Ok(host, cluster);
        await Ok(host, server);
        await Ok(host, frontend);
        Assert.Equal((200, "again"), await HttpConnection.GetOnceAsync(host.ListenerPort, "again.local"));
    }

    private static async Task Ok(SozuHost host, Request request)
    {
        var answer = await host.ExecuteAsync(request);
        Assert.True(answer.Status == AnswerStatus.Ok, answer.Message);
    }

    private static async Task<IReadOnlyList<ClusterHash>> HashList(SozuHost host) =>
        Assert.IsType<ClustersHashesContent>((await host.ExecuteAsync(new QueryClustersHashes())).Content).Hashes;

    private static async Task<string> Hashes(SozuHost host) =>
        string.Join(",", (await HashList(host)).Select(h => $"{h.ClusterId}={h.Hash}"));
}
