namespace Sozu.Messages.State;

/// <summary>The outcome of applying requests: the new state, or the unchanged state and why not.</summary>
public readonly record struct ApplyResult(ConfigState State, string? Error)
{
    public bool IsOk => Error is null;

    public static ApplyResult Ok(ConfigState state) => new(state, null);

    public static ApplyResult Fail(ConfigState unchanged, string error) => new(unchanged, error);
}
