using System.Diagnostics;
using System.Globalization;
using Sozu.Messages.Workers;
using Sozu.Net.Listeners;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// Starts the supervisor that replaces this one (upgrade_main): the same executable, run the way
/// this one was (`dotnet sozu.dll` or the `sozu` app host), as `start -c CONFIG` with the hidden
/// handover options, in its own session (setsid, so it does not share this one's terminal and
/// process group), in this one's working directory, with this one's stdout and stderr (where
/// a stdout log target writes). The shared listening sockets are inherited: they are open without
/// CLOEXEC, and their numbers go on the command line as --listen-fd ADDRESS=FD. The
/// session-ticket keys go through its standard input, a pipe: never a file nor an argument.
/// </summary>
internal static class SuccessorLauncher
{
    private const string SetSid = "/usr/bin/setsid";

    public static Process Launch(string configPath, string statePath, string readyPath, SharedListenSocketServer listeners, SessionTicketKeys ticketKeys)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            arguments.Add(Path.Combine(AppContext.BaseDirectory, "sozu.dll"));
        }
        arguments.AddRange(["start", "-c", Path.GetFullPath(configPath),
            "--upgrade-from", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--state", statePath, "--ready-file", readyPath, UpgradeHandover.TicketKeysOnStdin]);
        foreach (var (address, fd) in listeners.Snapshot())
        {
            arguments.Add("--listen-fd");
            arguments.Add(address + "=" + fd.ToString(CultureInfo.InvariantCulture));
        }
        // setsid(1) execs in place (a child of ours is no process group leader), so the pid is the new supervisor's.
        var detached = File.Exists(SetSid);
        var info = new ProcessStartInfo(detached ? SetSid : host)
        {
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
            RedirectStandardInput = true,
        };
        if (detached)
        {
            info.ArgumentList.Add(host);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var successor = Process.Start(info) ?? throw new InvalidOperationException("the new supervisor process did not start");
        try
        {
            successor.StandardInput.WriteLine(UpgradeHandover.FormatTicketKeys(ticketKeys));
        }
        catch (IOException)
        {
            // It died at once: the upgrade fails on its exit, reported by the caller.
        }
        finally
        {
            successor.StandardInput.Close();
        }
        return successor;
    }
}
