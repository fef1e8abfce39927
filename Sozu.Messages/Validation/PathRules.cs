using System.Text.RegularExpressions;
using Sozu.Messages.Config;

namespace Sozu.Messages.Validation;

public static class PathRules
{
    /// <summary>Bounds both the pattern and the work to compile it; a route is not a program.</summary>
    private const int MaxRegexLength = 1_024;

    /// <summary>The same bound the router must use when matching, so a pattern accepted here cannot stall a worker.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public static string? Check(string field, PathRule? rule)
    {
        if (rule is null)
        {
            return $"{field} must not be null";
        }
        if (Fields.Defined($"{field}.kind", rule.Kind) is { } kindError)
        {
            return kindError;
        }
        if (rule.Value is null)
        {
            return $"{field}.value must not be null";
        }
        foreach (var c in rule.Value)
        {
            if (char.IsControl(c) || c == ' ')
            {
                return $"{field}.value '{rule.Value}' contains a space or control character";
            }
        }
        switch (rule.Kind)
        {
            case PathRuleKind.Prefix:
                return rule.Value.Length == 0 || rule.Value[0] == '/'
                    ? null
                    : $"{field}.value '{rule.Value}': a prefix starts with '/'";
            case PathRuleKind.Exact:
                return rule.Value.Length > 0 && rule.Value[0] == '/'
                    ? null
                    : $"{field}.value '{rule.Value}': an exact path starts with '/'";
            default:
                return CheckRegex(field, rule.Value);
        }
    }

    private static string? CheckRegex(string field, string pattern)
    {
        if (pattern.Length == 0)
        {
            return $"{field}.value: an empty regex would match every path; use prefix \"/\"";
        }
        if (pattern.Length > MaxRegexLength)
        {
            return $"{field}.value is a regex longer than {MaxRegexLength} characters";
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"{field}.value '{pattern}' is not a valid regex: {e.Message}";
        }
    }
}
