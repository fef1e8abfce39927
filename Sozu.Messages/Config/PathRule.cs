namespace Sozu.Messages.Config;

/// <summary>How a frontend matches the request path: a prefix, an exact path or an anchored regex.</summary>
public sealed record PathRule(PathRuleKind Kind, string Value)
{
    public static readonly PathRule Root = new(PathRuleKind.Prefix, "/");

    public static PathRule Prefix(string value) => new(PathRuleKind.Prefix, value);

    public static PathRule Equal(string value) => new(PathRuleKind.Exact, value);

    public static PathRule Regex(string value) => new(PathRuleKind.Regex, value);
}
