namespace Sozu.Net.Tests.Support;

/// <summary>
/// A monotonic clock in microseconds that moves only when the test moves it, for an
/// <see cref="Loop.EventLoop"/> whose timeouts must not depend on the machine's speed.
/// </summary>
public sealed class ManualClock(long startMs) : TimeProvider
{
    private long _micros = startMs * 1000;

    public override long TimestampFrequency => 1_000_000;

    public long NowMs => Volatile.Read(ref _micros) / 1000;

    public override long GetTimestamp() => Volatile.Read(ref _micros);

    public void AdvanceMs(long ms)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ms);
        Interlocked.Add(ref _micros, ms * 1000);
    }
}
