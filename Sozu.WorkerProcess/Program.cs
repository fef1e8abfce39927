namespace Sozu.WorkerProcess;

internal static class Program
{
    private static int Main()
    {
        Console.Error.WriteLine("sozu-worker: started by the supervisor only");
        return 2;
    }
}
