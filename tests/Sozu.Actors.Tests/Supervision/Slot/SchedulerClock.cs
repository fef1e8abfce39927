using Akka.TestKit;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>The TestScheduler's virtual time as a TimeProvider: how long a worker lived moves with the timers.</summary>
public sealed class SchedulerClock(TestScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now;

    public override long GetTimestamp() => scheduler.Now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
