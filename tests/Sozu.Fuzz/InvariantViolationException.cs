namespace Sozu.Fuzz;

/// <summary>A parser broke one of its own promises on a fuzz input: afl-fuzz records the input as a crash.</summary>
public sealed class InvariantViolationException : Exception
{
    public InvariantViolationException()
    {
    }

    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public InvariantViolationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
