using Sozu.Actors.Supervision;

namespace Sozu.Actors.Tests.Supervision;

public sealed class CrashBackoffTests
{
    private static readonly CrashBackoff Policy = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), RandomFactor: 0.2, ResetAfter: TimeSpan.FromSeconds(60));

    [Fact]
    public void The_delay_doubles_from_the_minimum_and_stops_at_the_maximum()
    {
        var noJitter = Policy with { RandomFactor = 0 };
        var delays = new List<double>();
        for (var crashes = 1; crashes <= 10; crashes++)
        {
            delays.Add(noJitter.Delay(crashes, 0.3).TotalMilliseconds);
        }
        Assert.Equal([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], delays);
        // A count far past the cap does not overflow.
        Assert.Equal(30000, noJitter.Delay(int.MaxValue, 0.5).TotalMilliseconds);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.75, 1.1)]
    public void The_random_factor_spreads_the_delay_around_its_nominal_value(double random, double factor)
    {
        Assert.Equal(800 * factor, Policy.Delay(3, random).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Crashes_in_a_row_grow_until_a_worker_lives_past_reset_after()
    {
        var step = Policy.AfterDeath(crashesBefore: 0, lived: TimeSpan.FromSeconds(1), served: false, random: 0.5);
        Assert.Equal((1, TimeSpan.FromMilliseconds(200)), (step.CrashesInARow, step.Delay));
        step = Policy.AfterDeath(step.CrashesInARow, TimeSpan.FromSeconds(59), served: false, random: 0.5);
        Assert.Equal((2, TimeSpan.FromMilliseconds(400)), (step.CrashesInARow, step.Delay));
        step = Policy.AfterDeath(step.CrashesInARow, TimeSpan.FromSeconds(60), served: false, random: 0.5);
        Assert.Equal((1, TimeSpan.FromMilliseconds(200)), (step.CrashesInARow, step.Delay));
    }

    [Fact]
    public void A_worker_that_served_with_no_crash_before_it_is_replaced_at_once_but_not_in_a_crash_loop()
    {
        Assert.Equal(new CrashBackoffStep(1, TimeSpan.Zero), Policy.AfterDeath(0, TimeSpan.FromSeconds(1), served: true, random: 0.5));
        Assert.Equal(new CrashBackoffStep(1, TimeSpan.Zero), Policy.AfterDeath(7, TimeSpan.FromMinutes(5), served: true, random: 0.5));
        // It served, but right after a crash: the loop goes on, backed off.
        Assert.Equal(new CrashBackoffStep(2, TimeSpan.FromMilliseconds(400)), Policy.AfterDeath(1, TimeSpan.FromSeconds(1), served: true, random: 0.5));
    }
}
