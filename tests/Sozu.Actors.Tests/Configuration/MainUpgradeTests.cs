using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.Tests.Configuration;

/// <summary>upgrade_main's failure paths: the supervisor that could not hand over carries on, state and queue intact.</summary>
public sealed class MainUpgradeTests : TestKit, IDisposable
{
    private readonly string _directory = Path.Combine("/tmp", "sozu-upmain-" + Guid.NewGuid().ToString("N")[..10]);

    public MainUpgradeTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void UpgradeMain_WithoutALauncher_IsRefused()
    {
        var configuration = Sys.ActorOf(ConfigurationActor.Props(ConfigState.Empty));
        configuration.Tell(new ExecuteRequest("1", new UpgradeMain()));
        var answer = ExpectMsg<Answer>();
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Contains("cannot start its successor", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpgradeMain_SuccessorExitsBeforeReady_AnswersError_AndCarriesOnWithItsStateAndQueue()
    {
        var state = StateFileTests.Sample(clusters: 2);
        string? handedState = null;
        UnixFileMode? handedMode = null;
        var settings = ConfigurationSettings.Default with
        {
            // A real process that checks the state file was written before it started (exit 3), and exits without saying ready.
            MainUpgrade = new MainUpgradeSettings(_directory, (statePath, _, _) =>
            {
                handedState = statePath;
                handedMode = File.GetUnixFileMode(statePath);
                var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add("test -s \"$0\" && exit 3");
                info.ArgumentList.Add(statePath);
                return Process.Start(info)!;
            }),
        };
        var configuration = Sys.ActorOf(ConfigurationActor.Props(state, settings));
        configuration.Tell(new ExecuteRequest("up", new UpgradeMain()));
        // Queued behind the upgrade: answered once it failed, not before.
        configuration.Tell(new ExecuteRequest("q", new ListWorkers()));

        var processing = ExpectMsg<Answer>(TimeSpan.FromSeconds(10));
        Assert.Equal((AnswerStatus.Processing, "up"), (processing.Status, processing.Id));
        var failed = ExpectMsg<Answer>(TimeSpan.FromSeconds(10));
        Assert.Equal((AnswerStatus.Error, "up"), (failed.Status, failed.Id));
        Assert.Contains("exited with code 3", failed.Message, StringComparison.Ordinal);
        var queued = ExpectMsg<Answer>();
        Assert.Equal((AnswerStatus.Ok, "q"), (queued.Status, queued.Id));

        Assert.NotNull(handedState);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, handedMode); // it holds the private keys
        Assert.False(File.Exists(handedState), "the handed state file is cleaned up");
        configuration.Tell(GetState.Instance);
        Assert.Equal(state, ExpectMsg<CurrentState>().State);
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        Directory.Delete(_directory, recursive: true);
    }
}
