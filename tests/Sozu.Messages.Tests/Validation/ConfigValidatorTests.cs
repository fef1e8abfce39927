using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Toml;
using Sozu.Messages.Validation;
using Xunit;

namespace Sozu.Messages.Tests.Validation;

/// <summary>The one field validation, and the entry points that ask it.</summary>
public sealed class ConfigValidatorTests
{
    private static readonly Cluster SpaceInUri = new()
    {
        ClusterId = "app",
        HealthCheck = new HealthCheckConfig { Uri = "/health check" },
    };

    [Fact]
    public void Errors_ReturnsEveryProblem_EachNamingItsField()
    {
        var cluster = SpaceInUri with
        {
            MaxConnectionsPerIp = -1,
            HealthCheck = new HealthCheckConfig { Uri = "/a b", IntervalSeconds = 0, ExpectedStatus = 700 },
        };

        var errors = ConfigValidator.Errors(cluster);

        Assert.Equal(["max_connections_per_ip", "health_check.uri", "health_check.interval", "health_check.expected_status"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Contains(e.Field, e.Message, StringComparison.Ordinal));
        Assert.Equal(string.Join("; ", errors.Select(e => e.Message)), ConfigValidator.Validate(cluster));
    }

    [Theory]
    [InlineData("/health check")]
    [InlineData("/health\tcheck")]
    [InlineData("/health\r\nHost: evil")]
    [InlineData("health")]
    [InlineData("")]
    public void HealthCheckUri_WithASpaceOrControlOrNoLeadingSlash_IsRefused(string uri)
    {
        var error = Assert.Single(ConfigValidator.Errors(new HealthCheckConfig { Uri = uri }, "health_check"));
        Assert.Equal("health_check.uri", error.Field);
    }

    [Fact]
    public void HealthCheckUri_WithASpace_IsRefusedByConfigStateApply()
    {
        var result = ConfigState.Empty.Apply(new AddCluster(SpaceInUri));

        Assert.False(result.IsOk);
        Assert.Contains("health_check.uri '/health check'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthCheckUri_WithASpace_IsAnErrorAtItsLineInTheFile()
    {
        var result = ConfigFileLoader.Parse("""
            [clusters.app]
            protocol = "http"
            frontends = []
            backends = []

            [clusters.app.health_check]
            interval = 5
            uri = "/health check"
            """, "config.toml");

        var error = Assert.Single(Assert.IsType<LoadFailed>(result).Errors);
        Assert.Equal(("clusters.app.health_check.uri", 8), (error.Key, error.Line));
        Assert.Contains("without spaces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorOfAFileSection_IsReported_NotTheFirst()
    {
        var result = ConfigFileLoader.Parse("""
            [clusters.app]
            protocol = "http"
            frontends = []
            backends = [{ address = "127.0.0.1:9000", sticky_id = "a b" }]

            [clusters.app.health_check]
            uri = "/health check"
            expected_status = 99
            """, "config.toml");

        var errors = Assert.IsType<LoadFailed>(result).Errors;
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Key == "clusters.app.backends[0].sticky_id");
        Assert.Contains(errors, e => e.Key == "clusters.app.health_check.uri");
        Assert.Contains(errors, e => e.Key == "clusters.app.health_check.expected_status");
    }
}
