namespace Sozu.Actors.Hocon;

/// <summary>What a process decides at start-up rather than in its HOCON file; null keeps the file's value.</summary>
public sealed record SozuHoconOverrides
{
    /// <summary>Absolute directory of every slot's socket, shared by supervisor and workers.</summary>
    public string? SocketDirectory { get; init; }

    /// <summary>The logical host of this system's address ([a-z0-9-]).</summary>
    public string? Hostname { get; init; }

    /// <summary>The slot id (1..65535): supervisor 1, worker N 100+N.</summary>
    public int? Slot { get; init; }

    public string? SystemName { get; init; }
}
