namespace Sozu.Actors.Supervision;

/// <summary>
/// How long a slot waits before replacing a worker that died (as Akka's BackoffOptions):
/// <see cref="Min"/> × 2^(crashes in a row − 1), capped at <see cref="Max"/>, ± <see cref="RandomFactor"/>
/// of random jitter so workers do not restart in step. The count starts over after a worker has
/// lived <see cref="ResetAfter"/>. A worker that served and then died, with no crash before it,
/// is replaced at once: the back-off is for crash loops, and every millisecond of it is lost
/// capacity.
/// </summary>
public sealed record CrashBackoff(TimeSpan Min, TimeSpan Max, double RandomFactor, TimeSpan ResetAfter)
{
    /// <summary>The policy of <paramref name="settings"/> (min-backoff, max-backoff, jitter, reset-after).</summary>
    public static CrashBackoff From(WorkerSlotSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new CrashBackoff(settings.MinBackoff, settings.MaxBackoff, settings.Jitter, settings.ResetAfter);
    }

    /// <summary>The delay after <paramref name="crashesInARow"/> crashes (1 = the first); <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan Delay(int crashesInARow, double random)
    {
        var exponent = Math.Clamp(crashesInARow - 1, 0, 30);
        var ms = Math.Min(Max.TotalMilliseconds, Min.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 1 + (RandomFactor * ((random * 2) - 1));
        return TimeSpan.FromMilliseconds(ms * jitter);
    }

    /// <summary>
    /// The next step after a death: a worker that lived <paramref name="lived"/>, after
    /// <paramref name="crashesBefore"/> crashes in a row; <paramref name="served"/>: it had been in sync.
    /// </summary>
    public CrashBackoffStep AfterDeath(int crashesBefore, TimeSpan lived, bool served, double random)
    {
        var crashes = lived >= ResetAfter ? 1 : crashesBefore + 1;
        var delay = crashes == 1 && served ? TimeSpan.Zero : Delay(crashes, random);
        return new CrashBackoffStep(crashes, delay);
    }
}

/// <summary>One decision of <see cref="CrashBackoff"/>: the crashes in a row so far and the wait before the replacement.</summary>
public readonly record struct CrashBackoffStep(int CrashesInARow, TimeSpan Delay);
