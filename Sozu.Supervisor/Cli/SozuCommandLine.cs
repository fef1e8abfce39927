using System.CommandLine;
using Sozu.Supervisor.Commands;

namespace Sozu.Supervisor.Cli;

/// <summary>The `sozu` command line (SPEC §3). Exit codes: 0 ok, 1 error answer, 2 bad usage.</summary>
internal static class SozuCommandLine
{
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Recursive, so that both `sozu -c F config check` and `sozu config check -c F` work, as in Sōzu.
        var configFile = new Option<string?>("--config", "-c")
        {
            Description = "Path to the configuration file (config.toml)",
            Recursive = true,
        };
        var json = new Option<bool>("--json", "-j") { Description = "Print the raw JSON answers", Recursive = true };
        var root = new RootCommand("sozu: a reverse proxy reconfigured at runtime, on Akka.NET") { configFile, json };
        root.Subcommands.Add(ConfigCommand(configFile, stdout, stderr));
        root.Subcommands.Add(StartCommandLine(configFile, stdout, stderr));
        foreach (var command in OperatorCommandLine.Build(configFile, json, stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine("sozu: " + error.Message);
            }
            return ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Command StartCommandLine(Option<string?> configFile, TextWriter stdout, TextWriter stderr)
    {
        // Hidden: set by upgrade_main on the supervisor it starts (see UpgradeHandover).
        var upgradeFrom = new Option<int?>("--upgrade-from") { Hidden = true };
        var state = new Option<string?>("--state") { Hidden = true };
        var readyFile = new Option<string?>("--ready-file") { Hidden = true };
        var listenFds = new Option<string[]>("--listen-fd") { Hidden = true, AllowMultipleArgumentsPerToken = false };
        var keysOnStdin = new Option<bool>(UpgradeHandover.TicketKeysOnStdin) { Hidden = true };
        var start = new Command("start", "Start the proxy on the configuration file") { upgradeFrom, state, readyFile, listenFds, keysOnStdin };
        start.SetAction(parsed =>
        {
            var path = parsed.GetValue(configFile);
            if (string.IsNullOrWhiteSpace(path))
            {
                stderr.WriteLine("sozu start: missing -c/--config FILE");
                return ExitCodes.Usage;
            }
            UpgradeHandover? handover = null;
            if (parsed.GetValue(upgradeFrom) is { } from)
            {
                var statePath = parsed.GetValue(state);
                var readyPath = parsed.GetValue(readyFile);
                var fds = new List<KeyValuePair<string, int>>();
                foreach (var text in parsed.GetValue(listenFds) ?? [])
                {
                    if (!UpgradeHandover.TryParseListenFd(text, out var entry))
                    {
                        stderr.WriteLine($"sozu start: --listen-fd {text}: expected ADDRESS=FD");
                        return ExitCodes.Usage;
                    }
                    fds.Add(entry);
                }
                if (string.IsNullOrWhiteSpace(statePath) || string.IsNullOrWhiteSpace(readyPath))
                {
                    stderr.WriteLine("sozu start: --upgrade-from needs --state FILE and --ready-file FILE");
                    return ExitCodes.Usage;
                }
                handover = new UpgradeHandover(from, statePath, readyPath, fds)
                {
                    TicketKeys = parsed.GetValue(keysOnStdin) ? UpgradeHandover.ParseTicketKeys(Console.In.ReadLine()) : null,
                };
            }
            return StartCommand.Run(path, stdout, stderr, handover: handover);
        });
        return start;
    }

    private static Command ConfigCommand(Option<string?> configFile, TextWriter stdout, TextWriter stderr)
    {
        var check = new Command("check", "Validate the configuration file without starting anything");
        check.SetAction(parsed =>
        {
            var path = parsed.GetValue(configFile);
            if (string.IsNullOrWhiteSpace(path))
            {
                stderr.WriteLine("sozu config check: missing -c/--config FILE");
                return ExitCodes.Usage;
            }
            return ConfigCheckCommand.Run(path, stdout, stderr);
        });
        return new Command("config", "Work with the configuration file") { check };
    }
}
