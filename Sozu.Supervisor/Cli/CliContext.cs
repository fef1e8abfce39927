using Spectre.Console;

namespace Sozu.Supervisor.Cli;

/// <summary>What every operator subcommand needs from the command line: where to connect, how to print.</summary>
internal sealed record CliContext(string? ConfigPath, bool Json, TextWriter Stdout, TextWriter Stderr)
{
    /// <summary>Progress bars and colours only when a person watches: stdout is the real, unredirected console.</summary>
    public bool IsTerminal => ReferenceEquals(Stdout, Console.Out) && !Console.IsOutputRedirected;

    public IAnsiConsole Spectre
    {
        get
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
                Out = new AnsiConsoleOutput(Stdout),
            });
            if (!IsTerminal)
            {
                // Piped output is read by scripts and logs: never wrap a table cell.
                console.Profile.Width = 240;
            }
            return console;
        }
    }
}
