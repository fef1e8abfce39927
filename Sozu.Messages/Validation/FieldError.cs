namespace Sozu.Messages.Validation;

/// <summary>One problem of a configuration record: the field (dotted, e.g. "health_check.uri") and a message that names it.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => Message;
}
