using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Status = Sozu.Messages.Requests.Status;

namespace Sozu.Actors.Tests.Configuration;

/// <summary>The operator's requests on a ConfigurationActor without workers (changes commit at once).</summary>
// set_logging moves the process-wide log level (LogLevelControl): never beside another test that reads or moves it.
[Collection(nameof(Sozu.Actors.Tests.Logging.GlobalSerilog))]
public sealed class AdminRequestsTests : TestKit, IDisposable
{
    private readonly string _directory = Path.Combine("/tmp", "sozu-admin-" + Guid.NewGuid().ToString("N")[..10]);

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public AdminRequestsTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
    }

    [Fact]
    public void LoadState_Of100000Objects_ShowsProgress_AndOtherRequestsAreAnsweredMeanwhile()
    {
        // 1 listener + 25,000 × (cluster, backend, 2 frontends) = 100,001 objects.
        var big = StateFileTests.Sample(clusters: 25_000, frontendsPerCluster: 2);
        var path = Path.Combine(_directory, "big.json");
        var count = StateFile.Save(path, big);
        Assert.True(count >= 100_000);

        var configuration = Sys.ActorOf(ConfigurationActor.Props(ConfigState.Empty));
        var loader = CreateTestProbe();
        configuration.Tell(new ExecuteRequest("load", new LoadState(path)), loader);

        // While it loads, a query is answered within a slice's time, not after the whole load.
        var asker = CreateTestProbe();
        var slowest = TimeSpan.Zero;
        var progress = 0;
        Answer? final = null;
        var deadline = Stopwatch.StartNew();
        while (final is null && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var sent = Stopwatch.StartNew();
            configuration.Tell(new ExecuteRequest("q", new ListWorkers()), asker);
            asker.ExpectMsg<Answer>(a => a.Status == AnswerStatus.Ok, TimeSpan.FromSeconds(10));
            slowest = sent.Elapsed > slowest ? sent.Elapsed : slowest;
            while (loader.HasMessages)
            {
                var answer = loader.ExpectMsg<Answer>();
                if (answer.Status == AnswerStatus.Processing)
                {
                    progress++;
                }
                else
                {
                    final = answer;
                }
            }
        }
        _output.WriteLine($"{count} requests loaded in {deadline.Elapsed.TotalSeconds:0.0} s, {progress} progress answers, slowest concurrent query {slowest.TotalMilliseconds:0} ms");
        Assert.NotNull(final);
        Assert.True(final.Status == AnswerStatus.Ok, final.Message);
        Assert.True(progress >= count / StateChangeJob.SliceSize - 1, $"{progress} progress answers");
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"a query waited {slowest.TotalMilliseconds:0} ms during the load");

        configuration.Tell(GetState.Instance);
        Assert.Equal(big, ExpectMsg<CurrentState>().State);
    }

    [Fact]
    public void Queries_AnswerFromTheCommittedState()
    {
        var configuration = Sys.ActorOf(ConfigurationActor.Props(StateFileTests.Sample(clusters: 3)));
        configuration.Tell(new ExecuteRequest("1", new QueryClusterById("c1")));
        Assert.Equal("c1", Assert.Single(Assert.IsType<ClustersContent>(ExpectMsg<Answer>().Content).Clusters).Cluster.ClusterId);
        configuration.Tell(new ExecuteRequest("2", new QueryClusterById("nope")));
        Assert.Equal(AnswerStatus.Error, ExpectMsg<Answer>().Status);
        configuration.Tell(new ExecuteRequest("3", new QueryClustersHashes()));
        Assert.Equal(3, Assert.IsType<ClustersHashesContent>(ExpectMsg<Answer>().Content).Hashes.Count);
        configuration.Tell(new ExecuteRequest("4", new ListFrontends("c2")));
        Assert.Single(Assert.IsType<FrontendsContent>(ExpectMsg<Answer>().Content).HttpFrontends);
        configuration.Tell(new ExecuteRequest("5", new QueryClustersByDomain("h0.c0.example.com")));
        Assert.Single(Assert.IsType<ClustersContent>(ExpectMsg<Answer>().Content).Clusters);
        configuration.Tell(new ExecuteRequest("6", new ListListeners()));
        Assert.Single(Assert.IsType<ListenersContent>(ExpectMsg<Answer>().Content).Listeners);
        configuration.Tell(new ExecuteRequest("7", new QueryMetrics()));
        Assert.Equal(0, Assert.IsType<MetricsContent>(ExpectMsg<Answer>().Content).Proxy.Workers);
        configuration.Tell(new ExecuteRequest("8", new Status()));
        Assert.Equal(AnswerStatus.Ok, ExpectMsg<Answer>().Status);
    }

    [Fact]
    public void QueryMetrics_WithAnUnknownMetricName_IsAnError_ThatNamesIt()
    {
        var configuration = Sys.ActorOf(ConfigurationActor.Props(StateFileTests.Sample(clusters: 1)));
        configuration.Tell(new ExecuteRequest("1", new QueryMetrics { MetricNames = ValueList<string>.Of("bytes_in", "bogus") }));
        var answer = ExpectMsg<Answer>();
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Contains("unknown metric name(s) bogus;", answer.Message, StringComparison.Ordinal);
        configuration.Tell(new ExecuteRequest("2", new QueryMetrics { MetricNames = ValueList<string>.Of("bytes_in") }));
        Assert.IsType<MetricsContent>(ExpectMsg<Answer>().Content);
    }

    [Fact]
    public void SetLogging_MovesTheLevelSwitch_AndRefusesUnknownLevels()
    {
        var configuration = Sys.ActorOf(ConfigurationActor.Props(ConfigState.Empty));
        configuration.Tell(new ExecuteRequest("1", new SetLogging("debug")));
        Assert.Equal(AnswerStatus.Ok, ExpectMsg<Answer>().Status);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, Sozu.Actors.Logging.LogLevelControl.Switch.MinimumLevel);
        configuration.Tell(new ExecuteRequest("2", new SetLogging("loud")));
        Assert.Equal(AnswerStatus.Error, ExpectMsg<Answer>().Status);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, Sozu.Actors.Logging.LogLevelControl.Switch.MinimumLevel);
        configuration.Tell(new ExecuteRequest("3", new SetLogging("info")));
        ExpectMsg<Answer>();
    }

    [Fact]
    public void SaveState_OfTheEmptyState_WritesAFile_ThatLoadStateAccepts()
    {
        var path = Path.Combine(_directory, "empty.json");
        var configuration = Sys.ActorOf(ConfigurationActor.Props(ConfigState.Empty));
        configuration.Tell(new ExecuteRequest("save", new SaveState(path)));
        var saved = ExpectMsg<Answer>();
        Assert.True(saved.Status == AnswerStatus.Ok, saved.Message);
        Assert.Equal(0, Assert.IsType<StateFileContent>(saved.Content).Requests);

        configuration.Tell(new ExecuteRequest("load", new LoadState(path)));
        var loaded = FishForMessage<Answer>(a => a.Status != AnswerStatus.Processing, TimeSpan.FromSeconds(10));
        Assert.True(loaded.Status == AnswerStatus.Ok, loaded.Message);
        configuration.Tell(GetState.Instance);
        Assert.Equal(ConfigState.Empty, ExpectMsg<CurrentState>().State);
    }

    [Fact]
    public void LoadState_OfAMissingFile_IsAnError_AndChangesNothing()
    {
        var initial = StateFileTests.Sample(clusters: 2);
        var configuration = Sys.ActorOf(ConfigurationActor.Props(initial));
        configuration.Tell(new ExecuteRequest("1", new LoadState(Path.Combine(_directory, "absent.json"))));
        var answer = ExpectMsg<Answer>(TimeSpan.FromSeconds(10));
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Contains("absent.json", answer.Message, StringComparison.Ordinal);
        configuration.Tell(GetState.Instance);
        Assert.Equal(initial, ExpectMsg<CurrentState>().State);
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        Directory.Delete(_directory, recursive: true);
    }
}
