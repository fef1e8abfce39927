namespace Sozu.Net.LoadBalancing;

/// <summary>
/// A small seedable generator (SplitMix64) for the balancers: a few instructions per draw, no
/// allocation, reproducible from a seed in tests. Not for anything security-related.
/// </summary>
internal struct FastRandom(ulong seed)
{
    private static long _instances;

    private ulong _state = seed;

    /// <summary>A generator seeded from the clock and a process-wide counter, so two balancers differ.</summary>
    public static FastRandom FromClock() =>
        new((ulong)Environment.TickCount64 ^ ((ulong)Interlocked.Increment(ref _instances) * 0x9E3779B97F4A7C15UL) ^ (ulong)Environment.ProcessId << 32);

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>) by multiply-shift (bias below 2^-40 for our bounds).</summary>
    public long NextBelow(long bound) => bound <= 1 ? 0 : (long)Math.BigMul(Next(), (ulong)bound, out _);
}
