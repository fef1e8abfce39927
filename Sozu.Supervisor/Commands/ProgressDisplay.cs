using Sozu.Messages.Answers;
using Sozu.Supervisor.Cli;
using Spectre.Console;

namespace Sozu.Supervisor.Commands;

/// <summary>A spinner with the latest progress message of a long request (state load, upgrade), on a terminal only.</summary>
internal static class ProgressDisplay
{
    public static Answer Run(CliContext cli, Func<Action<string>, Task<Answer>> execute)
    {
        Answer? result = null;
        cli.Spectre.Status().Spinner(Spinner.Known.Dots).Start("waiting for the supervisor…", context =>
        {
            result = execute(message => context.Status(Markup.Escape(message))).GetAwaiter().GetResult();
        });
        return result!;
    }
}
