using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Sozu.Messages.Answers;

namespace Sozu.Actors.Configuration;

/// <summary>
/// upgrade_main: the committed state goes to a file in the private socket directory, a new
/// supervisor process is started on it, and once it says it is ready (it has loaded the
/// configuration and the state, and waits only for this process to exit) this one answers Ok
/// and ends its ActorSystem without stopping any worker: the new one takes the sockets and
/// adopts the workers. The request queue is held meanwhile, so no change is committed after the
/// state file was written; if the new process exits or is not ready in time, the upgrade is
/// answered Error and this supervisor carries on as before.
/// </summary>
public sealed partial class ConfigurationActor
{
    private const string MainUpgradeTimer = "main-upgrade";
    private static readonly TimeSpan MainUpgradePoll = TimeSpan.FromMilliseconds(50);
    private const string HandedOverError = "the supervisor is being replaced (upgrade_main); send this again to the new one";
    private MainUpgradeInFlight? _mainUpgrade;

    /// <summary>Set once the successor is ready: every request from then on is refused at once.</summary>
    private bool _handedOver;

    private void StartMainUpgrade(string id, IActorRef replyTo)
    {
        if (_settings.MainUpgrade is not { } upgrade)
        {
            replyTo.Tell(Answer.Error(id, "upgrade_main: this supervisor was not started by `sozu start` and cannot start its successor"));
            return;
        }
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var statePath = Path.Combine(upgrade.Directory, "upgrade-" + pid + ".state");
        var readyPath = Path.Combine(upgrade.Directory, "upgrade-" + pid + ".ready");
        Process successor;
        try
        {
            File.Delete(readyPath);
            var count = StateFile.Save(statePath, State);
            successor = upgrade.Launch(statePath, readyPath, _ticketKeys);
            _log.Info("upgrade_main: saved {0} requests to {1}, started the new supervisor, pid {2}", count, statePath, successor.Id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Win32Exception or InvalidOperationException)
        {
            replyTo.Tell(Answer.Error(id, $"upgrade_main: cannot start the new supervisor: {e.Message}"));
            return;
        }
        replyTo.Tell(Answer.Processing(id, $"new supervisor started, pid {successor.Id}; waiting for it to load the state"));
        _mainUpgrade = new MainUpgradeInFlight(id, replyTo, successor, statePath, readyPath, DateTime.UtcNow + upgrade.ReadyTimeout);
        Timers.StartPeriodicTimer(MainUpgradeTimer, MainUpgradeTick.Instance, MainUpgradePoll);
    }

    private void OnMainUpgradeTick()
    {
        if (_mainUpgrade is not { } upgrade)
        {
            return;
        }
        var successor = upgrade.Successor;
        if (File.Exists(upgrade.ReadyPath))
        {
            Timers.Cancel(MainUpgradeTimer);
            HandOver(upgrade);
            return;
        }
        string? failure = null;
        if (successor.HasExited)
        {
            failure = string.Create(CultureInfo.InvariantCulture, $"the new supervisor (pid {successor.Id}) exited with code {successor.ExitCode} before it was ready");
        }
        else if (DateTime.UtcNow > upgrade.Deadline)
        {
            // We started it: ended by its Process object, never by name.
            successor.Kill();
            failure = $"the new supervisor (pid {successor.Id}) was not ready in time; killed";
        }
        if (failure is null)
        {
            // A sign of life about once a second, for clients that give up after a silence.
            if (++upgrade.Ticks % 20 == 0)
            {
                upgrade.ReplyTo.Tell(Answer.Processing(upgrade.Id, $"waiting for the new supervisor (pid {successor.Id}) to load the state"));
            }
            return;
        }
        Timers.Cancel(MainUpgradeTimer);
        _mainUpgrade = null;
        successor.Dispose();
        TryDelete(upgrade.StatePath);
        _log.Warning("upgrade_main: {0}; this supervisor carries on", failure);
        upgrade.ReplyTo.Tell(Answer.Error(upgrade.Id, $"upgrade_main: {failure}; this supervisor (pid {Environment.ProcessId}) carries on"));
        Self.Tell(Kick.Instance);
    }

    /// <summary>The successor is ready: answer, refuse what queued meanwhile, and end this system (the workers stay).</summary>
    private void HandOver(MainUpgradeInFlight upgrade)
    {
        _log.Info("upgrade_main: the new supervisor (pid {0}) is ready; this one exits, the workers keep serving", upgrade.Successor.Id);
        upgrade.ReplyTo.Tell(Answer.Ok(upgrade.Id, message: $"supervisor pid {Environment.ProcessId} replaced by pid {upgrade.Successor.Id}; workers kept"));
        _handedOver = true;
        while (_queue.TryDequeue(out var queued))
        {
            queued.ReplyTo.Tell(Answer.Error(queued.Id, HandedOverError));
        }
        // The successor outlives us; its Process object is only a handle.
        upgrade.Successor.Dispose();
        var system = Context.System;
        system.Scheduler.Advanced.ScheduleOnce(_settings.ShutdownDelay, () => system.Terminate());
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the private directory; the next upgrade overwrites it.
        }
    }

    private sealed record MainUpgradeInFlight(string Id, IActorRef ReplyTo, Process Successor, string StatePath, string ReadyPath, DateTime Deadline)
    {
        public int Ticks { get; set; }
    }

    private sealed class MainUpgradeTick
    {
        public static readonly MainUpgradeTick Instance = new();
    }
}
