namespace Sozu.Messages.Answers;

/// <summary>
/// One non-empty bucket of a <see cref="TimeHistogram"/>: <paramref name="Count"/> samples above
/// the previous bucket's bound and at most <paramref name="LeMicros"/> microseconds
/// (<see cref="TimeBuckets.InfiniteMicros"/> for the overflow bucket). Not cumulative.
/// </summary>
public sealed record TimeBucket(long LeMicros, long Count);
