namespace Sozu.Supervisor;

internal static class Program
{
    private static int Main(string[] args) => Cli.SozuCommandLine.Run(args);
}
