namespace Sozu.Fuzz;

internal static class Invariant
{
    public static void That(bool condition, string promise)
    {
        if (!condition)
        {
            Fail(promise);
        }
    }

    /// <summary>For messages worth building only on failure.</summary>
    public static void Fail(string promise) => throw new InvariantViolationException(promise);
}
