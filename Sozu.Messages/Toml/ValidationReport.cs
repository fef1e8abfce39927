using Sozu.Messages.Validation;

namespace Sozu.Messages.Toml;

/// <summary>Puts ConfigValidator's errors of a record read from a section at the line of the key they name.</summary>
internal static class ValidationReport
{
    public static void Report(TomlSection section, IEnumerable<FieldError> errors)
    {
        foreach (var error in errors)
        {
            var dot = error.Field.IndexOf('.', StringComparison.Ordinal);
            var top = dot < 0 ? error.Field : error.Field[..dot];
            var at = section.LocationOf(top);
            if (dot > 0 && section.NestedLocationOf(top, error.Field[(dot + 1)..]) is { } nested)
            {
                at = nested;
            }
            section.Context.Error(at, section.KeyPath(error.Field), error.Message);
        }
    }
}
