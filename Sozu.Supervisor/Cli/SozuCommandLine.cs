namespace Sozu.Supervisor.Cli;

/// <summary>The `sozu` command line (SPEC §3). Exit codes: 0 ok, 1 error answer, 2 bad usage.</summary>
internal static class SozuCommandLine
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("sozu: not implemented yet: " + string.Join(' ', args));
        return 2;
    }
}
