using BenchmarkDotNet.Attributes;
using Sozu.Net.Timers;

namespace Sozu.Benchmarks.Timers;

/// <summary>
/// The timer wheel on the paths a worker takes: a busy session pushing its deadline later, a
/// batch of 10,000 sessions timing out together, and a jump of one day over 100,000 armed
/// timers of which none is due (the loop slept, the machine stalled).
/// </summary>
[MemoryDiagnoser]
public class TimerWheelBenchmarks
{
    private const int Sessions = 10_000;
    private const int Armed = 100_000;
    private const long Day = 86_400_000;

    private sealed class Ignore : ITimerTarget
    {
        public void OnTimeout(TimerNode node, long nowMs)
        {
        }
    }

    private readonly Ignore _target = new();
    private TimerNode[] _nodes = [];
    private TimerWheel _wheel = new(0);
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _nodes = new TimerNode[Armed];
        for (var i = 0; i < Armed; i++)
        {
            _nodes[i] = new TimerNode(_target);
        }
    }

    [IterationSetup(Target = nameof(PushLater))]
    public void ArmOne()
    {
        _wheel = new TimerWheel(0);
        _now = 0;
        _wheel.Schedule(_nodes[0], 60_000);
    }

    /// <summary>A session's activity: the deadline moves 60 s past now, 1,000 times.</summary>
    [Benchmark(OperationsPerInvoke = 1_000)]
    public void PushLater()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _now += 10;
            _wheel.Schedule(_nodes[0], _now + 60_000);
        }
    }

    [IterationSetup(Target = nameof(FireTenThousandDueTogether))]
    public void ArmSessions()
    {
        _wheel = new TimerWheel(0);
        for (var i = 0; i < Sessions; i++)
        {
            _wheel.Schedule(_nodes[i], 60_000 + (i % 1_000));
        }
    }

    /// <summary>10,000 front timeouts of 60 s (a turn and more of the old wheel) fired by one Advance.</summary>
    [Benchmark]
    public int FireTenThousandDueTogether() => _wheel.Advance(62_000);

    [IterationSetup(Target = nameof(JumpADayOverAHundredThousandNotDue))]
    public void ArmFarAhead()
    {
        _wheel = new TimerWheel(0);
        for (var i = 0; i < Armed; i++)
        {
            _wheel.Schedule(_nodes[i], (3 * Day) + (i * 7L));
        }
    }

    [Benchmark]
    public int JumpADayOverAHundredThousandNotDue() => _wheel.Advance(Day);
}
