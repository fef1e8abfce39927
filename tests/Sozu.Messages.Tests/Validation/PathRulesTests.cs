using Sozu.Messages.Config;
using Sozu.Messages.Validation;
using Xunit;

namespace Sozu.Messages.Tests.Validation;

public class PathRulesTests
{
    [Fact]
    public void Check_CompilingRegex_ReturnsNull() => Assert.Null(PathRules.Check("path", PathRule.Regex("^/v[0-9]+/(users|groups)$")));

    [Fact]
    public void Check_EmptyRegex_IsRefused() => Assert.NotNull(PathRules.Check("path", PathRule.Regex("")));

    [Fact]
    public void Check_OverlongRegex_IsRefused() => Assert.NotNull(PathRules.Check("path", PathRule.Regex(new string('a', 2_000))));

    [Fact]
    public void Check_EmptyPrefix_MatchesEverythingAndIsAllowed() => Assert.Null(PathRules.Check("path", PathRule.Prefix("")));

    [Fact]
    public void Check_ExactPathWithoutSlash_IsRefused() => Assert.Contains("'login'", PathRules.Check("path", PathRule.Equal("login")), StringComparison.Ordinal);

    [Fact]
    public void Check_UndefinedKind_IsRefused() => Assert.Contains("path.kind", PathRules.Check("path", new PathRule((PathRuleKind)9, "/")), StringComparison.Ordinal);

    [Fact]
    public void Check_PathWithSpace_IsRefused() => Assert.NotNull(PathRules.Check("path", PathRule.Prefix("/a b")));
}
