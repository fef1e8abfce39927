namespace Sozu.Supervisor.Cli;

/// <summary>The exit codes of every `sozu` subcommand (SPEC §3).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The answer (or the checked file) says no.</summary>
    public const int Error = 1;

    /// <summary>Bad usage, a missing file, an unreachable socket.</summary>
    public const int Usage = 2;
}
