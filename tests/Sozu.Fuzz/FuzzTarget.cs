namespace Sozu.Fuzz;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> feeds it one input and throws
/// <see cref="InvariantViolationException"/> when the parser breaks a promise of its own; any
/// other exception escaping is a crash too. A target keeps no state between inputs, so the same
/// file gives the same verdict under afl-fuzz, in the replay test and in a debugger.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name on the command line, the corpus folder and the dictionary file.</summary>
    public abstract string Name { get; }

    /// <summary>What the target checks beyond "no exception", one sentence for `Sozu.Fuzz list`.</summary>
    public abstract string Checks { get; }

    public abstract void Run(ReadOnlySpan<byte> input);
}
