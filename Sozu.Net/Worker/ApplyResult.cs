namespace Sozu.Net.Worker;

/// <summary>The outcome of applying one configuration request on a worker.</summary>
public readonly record struct ApplyResult(bool Ok, string Error)
{
    public static ApplyResult Success => new(true, "");

    public static ApplyResult Failure(string error) => new(false, error);
}
