using BenchmarkDotNet.Running;

namespace Sozu.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "control-plane")
        {
#pragma warning disable CA1416 // the control plane runs on Linux only (Unix sockets, epoll)
            return ControlPlane.ControlPlaneMeasurement.Run(args[1..]);
#pragma warning restore CA1416
        }
        if (args.Length > 0 && args[0] == "access-log")
        {
            return Logging.AccessLogMeasurement.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
