using System.Globalization;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Toml;
using Sozu.Supervisor.Cli;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// `sozu config check -c FILE`: loads the file as `start` would, without starting anything, and
/// prints what it would build, or every error one per line ("file:line:col: key: message").
/// </summary>
internal static class ConfigCheckCommand
{
    /// <summary>
    /// A check of the loaded requests beyond the file's own rules (applying them to an empty
    /// ConfigState, where duplicates and dangling references show); empty means it passes.
    /// </summary>
    public delegate IReadOnlyList<string> StateValidation(LoadedConfig config);

    /// <summary>
    /// What `start` will do with the file: apply every request, in order, to an empty state.
    /// Catches what a single file section cannot see (a frontend of a missing cluster,
    /// duplicates across sections, a key that does not match its certificate).
    /// </summary>
    public static readonly StateValidation ApplyToEmptyState = static config =>
    {
        var result = ConfigState.Empty.ApplyAll(config.Requests);
        return result.IsOk ? [] : [result.Error!];
    };

    public static int Run(string path, TextWriter stdout, TextWriter stderr) => Run(path, stdout, stderr, ApplyToEmptyState);

    public static int Run(string path, TextWriter stdout, TextWriter stderr, StateValidation validateState)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(validateState);

        if (!File.Exists(path))
        {
            stderr.WriteLine($"sozu config check: {path}: no such file");
            return ExitCodes.Usage;
        }

        switch (ConfigFileLoader.Load(path))
        {
            case LoadFailed failed:
                foreach (var error in failed.Errors)
                {
                    stderr.WriteLine(error.ToString());
                }
                stderr.WriteLine(Count(failed.Errors.Count, "error") + $" in {path}");
                return ExitCodes.Error;

            case LoadedConfig loaded:
                foreach (var warning in loaded.Warnings)
                {
                    stderr.WriteLine("warning: " + warning);
                }
                var stateErrors = validateState(loaded);
                if (stateErrors.Count > 0)
                {
                    foreach (var error in stateErrors)
                    {
                        stderr.WriteLine($"{path}: {error}");
                    }
                    stderr.WriteLine(Count(stateErrors.Count, "error") + $" in {path}");
                    return ExitCodes.Error;
                }
                PrintSummary(loaded, stdout);
                return ExitCodes.Ok;

            default:
                throw new InvalidOperationException("unknown load result");
        }
    }

    private static void PrintSummary(LoadedConfig config, TextWriter stdout)
    {
        var listeners = new List<ListenerConfig>();
        var clusters = new List<Cluster>();
        var frontendsByCluster = new Dictionary<string, int>(StringComparer.Ordinal);
        var backendsByCluster = new Dictionary<string, int>(StringComparer.Ordinal);
        int frontends = 0, backends = 0, certificates = 0;
        foreach (var request in config.Requests)
        {
            switch (request)
            {
                case AddHttpListener r: listeners.Add(r.Listener); break;
                case AddHttpsListener r: listeners.Add(r.Listener); break;
                case AddTcpListener r: listeners.Add(r.Listener); break;
                case AddCluster r: clusters.Add(r.Cluster); break;
                case AddBackend r: backends++; Increment(backendsByCluster, r.Backend.ClusterId); break;
                case AddCertificate: certificates++; break;
                case AddHttpFrontend r: frontends++; Increment(frontendsByCluster, r.Frontend.ClusterId ?? "(deny)"); break;
                case AddHttpsFrontend r: frontends++; Increment(frontendsByCluster, r.Frontend.ClusterId ?? "(deny)"); break;
                case AddTcpFrontend r: frontends++; Increment(frontendsByCluster, r.Frontend.ClusterId); break;
                default: break;
            }
        }

        stdout.WriteLine($"{config.SourcePath}: ok");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Count(listeners.Count, "listener")}, {Count(clusters.Count, "cluster")}, {Count(frontends, "frontend")}, {Count(backends, "backend")}, {Count(certificates, "certificate")}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Count(config.Global.WorkerCount, "worker")}, command socket {config.Global.CommandSocket}"));

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        if (listeners.Count > 0)
        {
            var table = new Table().AddColumns("listener", "protocol", "active at start");
            foreach (var listener in listeners)
            {
                table.AddRow(Cells(listener.Address, listener.Protocol.ToString().ToLowerInvariant(), config.Global.ActivateListeners ? "yes" : "no"));
            }
            console.Write(table);
        }
        if (clusters.Count > 0)
        {
            var table = new Table().AddColumns("cluster", "load balancing", "frontends", "backends");
            foreach (var cluster in clusters)
            {
                table.AddRow(Cells(
                    cluster.ClusterId,
                    SozuSpelling(cluster.LoadBalancing.ToString()),
                    frontendsByCluster.GetValueOrDefault(cluster.ClusterId).ToString(CultureInfo.InvariantCulture),
                    backendsByCluster.GetValueOrDefault(cluster.ClusterId).ToString(CultureInfo.InvariantCulture)));
            }
            console.Write(table);
        }
    }

    // Plain Text cells: addresses like [::1]:80 would otherwise be read as Spectre markup.
    private static IRenderable[] Cells(params string[] values)
    {
        var cells = new IRenderable[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            cells[i] = new Text(values[i]);
        }
        return cells;
    }

    /// <summary>RoundRobin → ROUND_ROBIN: the operator reads back the value as the file writes it.</summary>
    private static string SozuSpelling(string pascalCase)
    {
        var builder = new System.Text.StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascalCase[i]))
            {
                builder.Append('_');
            }
            builder.Append(char.ToUpperInvariant(pascalCase[i]));
        }
        return builder.ToString();
    }

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}
