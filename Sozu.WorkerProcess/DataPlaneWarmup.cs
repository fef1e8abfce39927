using System.Reflection;
using System.Runtime.CompilerServices;

namespace Sozu.WorkerProcess;

/// <summary>
/// A standby compiles the data plane ahead of need: when it takes over, its first connections
/// would otherwise wait on the JIT for every method of the accept, parse and proxy paths, and
/// the warm surviving worker would win every accept race meanwhile. Runs once, on a background
/// thread of lowest priority, while the standby has nothing else to do.
/// </summary>
internal static class DataPlaneWarmup
{
    public static void Start(Action<int, TimeSpan> done)
    {
        var thread = new Thread(() =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var compiled = Compile(typeof(Sozu.Net.Worker.ProxyWorker).Assembly);
            done(compiled, clock.Elapsed);
        })
        {
            IsBackground = true,
            Name = "jit-warmup",
            Priority = ThreadPriority.Lowest,
        };
        thread.Start();
    }

    private static int Compile(Assembly assembly)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var compiled = 0;
        foreach (var type in assembly.GetTypes())
        {
            if (type.ContainsGenericParameters)
            {
                continue; // open generics have no code until instantiated
            }
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || (method.MethodImplementationFlags & MethodImplAttributes.InternalCall) != 0 || method.GetMethodBody() is null)
                {
                    continue;
                }
                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    compiled++;
                }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException or NotSupportedException or InvalidProgramException)
                {
                    // One method the JIT will not take ahead of time: it compiles on first call as usual.
                }
            }
        }
        return compiled;
    }
}
