using System.Text;
using Sozu.Messages.Config;
using Sozu.Net.Routing;
using Xunit;

namespace Sozu.Net.Tests.Routing;

public class RouterTests
{
    private static HttpFrontend Frontend(string host, PathRule? path = null, string? cluster = "c", string? method = null,
        RulePosition position = RulePosition.Tree, HstsConfig? hsts = null) => new()
    {
        Address = "127.0.0.1:8080",
        Hostname = host,
        Path = path ?? PathRule.Root,
        ClusterId = cluster,
        Method = method,
        Position = position,
        Hsts = hsts,
    };

    private static RouteResult Lookup(Router router, string host, string path, string method = "GET") =>
        router.Lookup(Encoding.ASCII.GetBytes(host), Encoding.ASCII.GetBytes(path), Encoding.ASCII.GetBytes(method));

    private static string? ClusterOf(Router router, string host, string path, string method = "GET") =>
        Lookup(router, host, path, method).ClusterId;

    [Fact]
    public void Lookup_EmptyRouter_IsNoRoute()
    {
        var result = Lookup(new Router(), "example.com", "/");
        Assert.Equal(RouteKind.NoRoute, result.Kind);
        Assert.Null(result.Target);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("EXAMPLE.com")]
    [InlineData("example.com:8080")]
    [InlineData("example.com.")]
    public void Lookup_ExactHost_IgnoresCasePortAndTrailingDot(string host)
    {
        var router = new Router();
        router.Add(Frontend("Example.COM", cluster: "web"));
        Assert.Equal("web", ClusterOf(router, host, "/anything"));
    }

    [Fact]
    public void Lookup_PathPrecedence_IsEqualsThenRegexThenLongestPrefix_WhateverTheOrderAdded()
    {
        var router = new Router();
        router.Add(Frontend("a.com", PathRule.Prefix("/"), "root"));
        router.Add(Frontend("a.com", PathRule.Prefix("/api/v1"), "long"));
        router.Add(Frontend("a.com", PathRule.Regex("/api/v1/users/[0-9]+"), "regex"));
        router.Add(Frontend("a.com", PathRule.Prefix("/api"), "short"));
        router.Add(Frontend("a.com", PathRule.Equal("/api/v1/users/42"), "equals"));

        Assert.Equal("equals", ClusterOf(router, "a.com", "/api/v1/users/42"));
        Assert.Equal("regex", ClusterOf(router, "a.com", "/api/v1/users/7"));
        Assert.Equal("long", ClusterOf(router, "a.com", "/api/v1/users/7/x"));
        Assert.Equal("short", ClusterOf(router, "a.com", "/api/v2"));
        Assert.Equal("root", ClusterOf(router, "a.com", "/index.html"));
    }

    [Fact]
    public void Lookup_RegexIsAnchored()
    {
        var router = new Router();
        router.Add(Frontend("a.com", PathRule.Regex("/img/.*\\.png"), "img"));
        Assert.Equal("img", ClusterOf(router, "a.com", "/img/x.png"));
        Assert.Null(ClusterOf(router, "a.com", "/x/img/x.png"));
        Assert.Null(ClusterOf(router, "a.com", "/img/x.png.exe"));
    }

    [Fact]
    public void Lookup_MethodFilter_SkipsToTheNextBestRule()
    {
        var router = new Router();
        router.Add(Frontend("a.com", PathRule.Equal("/items"), "post-only", method: "POST"));
        router.Add(Frontend("a.com", PathRule.Prefix("/"), "any"));
        router.Add(Frontend("a.com", PathRule.Prefix("/"), "get", method: "GET"));

        Assert.Equal("post-only", ClusterOf(router, "a.com", "/items", "POST"));
        Assert.Equal("get", ClusterOf(router, "a.com", "/items", "GET"));
        Assert.Equal("any", ClusterOf(router, "a.com", "/items", "PUT"));
        Assert.Equal("any", ClusterOf(router, "a.com", "/items", "post"));
    }

    [Theory]
    [InlineData("www.example.com", "wild")]
    [InlineData("API.example.com:443", "wild")]
    [InlineData("example.com", "exact")]
    [InlineData("a.b.example.com", "any")]
    [InlineData(".example.com", "any")]
    [InlineData("other.org", "any")]
    public void Lookup_WildcardCoversExactlyOneLabel_AndStarCoversTheRest(string host, string expected)
    {
        var router = new Router();
        router.Add(Frontend("*.example.com", cluster: "wild"));
        router.Add(Frontend("example.com", cluster: "exact"));
        router.Add(Frontend("*", cluster: "any"));
        Assert.Equal(expected, ClusterOf(router, host, "/"));
    }

    [Fact]
    public void Lookup_ExactHostWithoutMatchingPath_FallsThroughToWildcard()
    {
        var router = new Router();
        router.Add(Frontend("api.example.com", PathRule.Prefix("/v2"), "v2"));
        router.Add(Frontend("*.example.com", cluster: "wild"));
        Assert.Equal("v2", ClusterOf(router, "api.example.com", "/v2/x"));
        Assert.Equal("wild", ClusterOf(router, "api.example.com", "/v1/x"));
    }

    [Fact]
    public void Lookup_PreRulesComeBeforeTheTreeAndPostRulesAfter()
    {
        var router = new Router();
        router.Add(Frontend("*", PathRule.Prefix("/.well-known/acme-challenge"), "acme", position: RulePosition.Pre));
        router.Add(Frontend("*", PathRule.Prefix("/"), "fallback", position: RulePosition.Post));
        router.Add(Frontend("a.com", PathRule.Prefix("/"), "a"));

        Assert.Equal("acme", ClusterOf(router, "a.com", "/.well-known/acme-challenge/token"));
        Assert.Equal("a", ClusterOf(router, "a.com", "/x"));
        Assert.Equal("fallback", ClusterOf(router, "b.com", "/x"));
    }

    [Fact]
    public void Lookup_FrontendWithoutCluster_Denies()
    {
        var router = new Router();
        router.Add(Frontend("a.com", PathRule.Prefix("/admin"), cluster: null));
        router.Add(Frontend("a.com", cluster: "a"));
        var denied = Lookup(router, "a.com", "/admin/users");
        Assert.Equal(RouteKind.Deny, denied.Kind);
        Assert.Equal(RouteKind.Cluster, Lookup(router, "a.com", "/public").Kind);
    }

    [Fact]
    public void Lookup_ReturnsTheFrontendsRenderedHsts()
    {
        var router = new Router();
        router.Add(Frontend("a.com", hsts: new HstsConfig { MaxAge = 600, IncludeSubdomains = true }));
        var target = Lookup(router, "a.com", "/").Target!;
        Assert.Equal("Strict-Transport-Security: max-age=600; includeSubDomains\r\n", Encoding.ASCII.GetString(target.StrictTransportSecurity!));
    }

    [Fact]
    public void Lookup_FrontendWithoutHsts_InheritsTheListeners_AndCanSwitchItOff()
    {
        var router = new Router(new HstsConfig { MaxAge = 100, Preload = true });
        router.Add(Frontend("inherits.com"));
        router.Add(Frontend("off.com", hsts: new HstsConfig { Enabled = false }));
        Assert.Equal("Strict-Transport-Security: max-age=100; preload\r\n", Encoding.ASCII.GetString(Lookup(router, "inherits.com", "/").Target!.StrictTransportSecurity!));
        Assert.Null(Lookup(router, "off.com", "/").Target!.StrictTransportSecurity);

        var plainHttp = new Router();
        plainHttp.Add(Frontend("a.com"));
        Assert.Null(Lookup(plainHttp, "a.com", "/").Target!.StrictTransportSecurity);
    }

    [Fact]
    public void SetListenerHsts_ReachesEveryExistingFrontendWithoutItsOwn_WhateverItsLevel()
    {
        var router = new Router();
        router.Add(Frontend("exact.com", PathRule.Equal("/e")));
        router.Add(Frontend("*.wild.com", PathRule.Regex("/r[0-9]")));
        router.Add(Frontend("*"));
        router.Add(Frontend("pre.com", position: RulePosition.Pre));
        router.Add(Frontend("post.com", position: RulePosition.Post));
        router.Add(Frontend("own.com", hsts: new HstsConfig { MaxAge = 7 }));
        var routes = new[] { ("exact.com", "/e"), ("a.wild.com", "/r1"), ("other.com", "/"), ("pre.com", "/") };
        foreach (var (host, path) in routes)
        {
            Assert.Null(Lookup(router, host, path).Target!.StrictTransportSecurity);
        }

        router.SetListenerHsts(new HstsConfig { MaxAge = 300 });
        foreach (var (host, path) in routes)
        {
            Assert.Equal("Strict-Transport-Security: max-age=300\r\n", Encoding.ASCII.GetString(Lookup(router, host, path).Target!.StrictTransportSecurity!));
        }
        Assert.Equal("Strict-Transport-Security: max-age=7\r\n", Encoding.ASCII.GetString(Lookup(router, "own.com", "/").Target!.StrictTransportSecurity!));
        router.Add(Frontend("later.com"));
        Assert.NotNull(Lookup(router, "later.com", "/").Target!.StrictTransportSecurity);

        router.SetListenerHsts(null);
        Assert.Null(Lookup(router, "exact.com", "/e").Target!.StrictTransportSecurity);
        Assert.Null(Lookup(router, "later.com", "/").Target!.StrictTransportSecurity);
        Assert.NotNull(Lookup(router, "own.com", "/").Target!.StrictTransportSecurity);
    }

    [Fact]
    public void Remove_TakesTheRouteAway_AndForgetsEmptyHosts()
    {
        var router = new Router();
        var frontend = Frontend("a.com", PathRule.Prefix("/x"), "x");
        router.Add(frontend);
        router.Add(Frontend("*", cluster: "any"));
        Assert.Equal("x", ClusterOf(router, "a.com", "/x"));

        Assert.True(router.Remove(frontend with { ClusterId = "x" }));
        Assert.False(router.Remove(frontend));
        Assert.Equal("any", ClusterOf(router, "a.com", "/x"));
        Assert.Equal(1, router.Count);
    }

    [Fact]
    public void Add_DuplicateFrontend_IsRejectedAndChangesNothing()
    {
        var router = new Router();
        router.Add(Frontend("a.com", cluster: "first"));
        Assert.Throws<ArgumentException>(() => router.Add(Frontend("A.com", cluster: "second")));
        Assert.Equal("first", ClusterOf(router, "a.com", "/"));
        Assert.Equal(1, router.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b.com")]
    [InlineData("a..com")]
    [InlineData("*.")]
    [InlineData("a.com/path")]
    public void Add_InvalidHostname_IsRejected(string host)
    {
        var router = new Router();
        Assert.ThrowsAny<ArgumentException>(() => router.Add(Frontend(host)));
        Assert.Equal(0, router.Count);
    }

    [Fact]
    public void Add_InvalidRegex_IsRejectedAndChangesNothing()
    {
        var router = new Router();
        var error = Assert.Throws<ArgumentException>(() => router.Add(Frontend("a.com", PathRule.Regex("/(unclosed"))));
        Assert.Contains("/(unclosed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, router.Count);
        Assert.Null(ClusterOf(router, "a.com", "/(unclosed"));
    }

    [Theory]
    [InlineData("/(?=a)b")]
    [InlineData("/(a)\\1")]
    public void Add_RegexNeedingBacktracking_IsRejected(string regex)
    {
        var router = new Router();
        Assert.Throws<ArgumentException>(() => router.Add(Frontend("a.com", PathRule.Regex(regex))));
        Assert.Equal(0, router.Count);
    }

    [Fact]
    public void Add_UnicodeHostname_MatchesItsPunycodeForm()
    {
        var router = new Router();
        router.Add(Frontend("bücher.example", cluster: "idn"));
        Assert.Equal("idn", ClusterOf(router, "xn--bcher-kva.example", "/"));
    }

    [Fact]
    public void Lookup_With100000Routes_StillFindsEachKind()
    {
        var router = new Router();
        for (var i = 0; i < 100_000; i++)
        {
            router.Add(Frontend($"host{i}.example.com", cluster: $"c{i}"));
        }
        router.Add(Frontend("*.wild.example.com", cluster: "wild"));
        router.Add(Frontend("regex.example.com", PathRule.Regex("/item/[0-9]+"), "regex"));

        Assert.Equal(100_002, router.Count);
        Assert.Equal("c0", ClusterOf(router, "host0.example.com", "/"));
        Assert.Equal("c99999", ClusterOf(router, "HOST99999.example.com", "/x"));
        Assert.Equal("c4242", ClusterOf(router, "host4242.example.com:80", "/"));
        Assert.Equal("wild", ClusterOf(router, "x.wild.example.com", "/"));
        Assert.Equal("regex", ClusterOf(router, "regex.example.com", "/item/12"));
        Assert.Null(ClusterOf(router, "host100000.example.com", "/"));
    }

    [Fact]
    public void Lookup_AllocatesNothing()
    {
        var router = new Router();
        router.Add(Frontend("a.com", PathRule.Regex("/item/[0-9]+"), "regex"));
        router.Add(Frontend("a.com", PathRule.Equal("/exact"), "exact"));
        router.Add(Frontend("*.b.com", PathRule.Prefix("/api"), "wild"));
        var host = "a.com"u8.ToArray();
        var path = "/item/1234"u8.ToArray();
        var wildHost = "x.b.com:8080"u8.ToArray();
        var wildPath = "/api/x"u8.ToArray();
        var method = "GET"u8.ToArray();
        Assert.Equal("regex", router.Lookup(host, path, method).ClusterId);
        Assert.Equal("wild", router.Lookup(wildHost, wildPath, method).ClusterId);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            router.Lookup(host, path, method);
            router.Lookup(wildHost, wildPath, method);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
