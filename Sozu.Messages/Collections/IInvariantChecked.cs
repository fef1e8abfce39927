namespace Sozu.Messages.Collections;

/// <summary>
/// A collection whose factories guarantee invariants that a deserializer building it without
/// them (Hyperion sets fields directly) could break; the receiving side asks before using it.
/// </summary>
public interface IInvariantChecked
{
    /// <summary>What is broken, in words; null when the collection is as its factories would have built it.</summary>
    string? FindViolation();
}
