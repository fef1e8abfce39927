using Akka.Actor;
using Akka.Configuration;
using Sozu.Actors.Hocon;

namespace Sozu.Actors.Tests.TestSupport;

/// <summary>Starts ActorSystems from the shipped HOCON files, on a slot of a test's socket directory.</summary>
public static class Systems
{
    public static string HoconFile(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "hocon", name);

    public static Config Config(string file, string socketDirectory, string host, int slot, string? extra = null)
    {
        var config = SozuHocon.Load(HoconFile(file), new SozuHoconOverrides
        {
            SocketDirectory = socketDirectory,
            Hostname = host,
            Slot = slot,
        });
        return extra is null ? config : ConfigurationFactory.ParseString(extra).WithFallback(config);
    }

    public static ActorSystem Supervisor(string socketDirectory, string? extra = null)
    {
        var config = Config(SozuHocon.SupervisorFile, socketDirectory, "supervisor", SozuHocon.SupervisorSlot, extra);
        return ActorSystem.Create(SozuHocon.SystemName(config), config);
    }

    public static ActorSystem Worker(string socketDirectory, int workerId, string? extra = null)
    {
        var config = Config(SozuHocon.WorkerFile, socketDirectory, "worker", SozuHocon.WorkerSlot(workerId), extra);
        return ActorSystem.Create(SozuHocon.SystemName(config), config);
    }
}
