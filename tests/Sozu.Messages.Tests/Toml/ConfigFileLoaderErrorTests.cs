using Sozu.Messages.Collections;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

/// <summary>Bad files: each error names the right line, column and key, and nothing loads.</summary>
public sealed class ConfigFileLoaderErrorTests : IDisposable
{
    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ValueList<ConfigError> Errors(string toml)
    {
        var result = ConfigFileLoader.Load(_folder.Write(toml));
        return Assert.IsType<LoadFailed>(result).Errors;
    }

    private ConfigError Error(string toml) => Assert.Single(Errors(toml));

    [Fact]
    public void UnknownGlobalKey_IsReportedAtItsLine()
    {
        var error = Error("""
            log_level = "info"
            worker_count = 2
            wroker_automatic_restart = true
            """);

        Assert.Equal((3, 1, "wroker_automatic_restart", "unknown key"), (error.Line, error.Column, error.Key, error.Message));
        Assert.Equal(Path.Combine(_folder.Root, "config.toml"), error.File);
    }

    [Fact]
    public void UnknownKeyInsideAnInlineFrontend_IsReportedWithItsPathAndColumn()
    {
        var errors = Errors("""
            [clusters.app]
            protocol = "http"
            frontends = [
                { address = "127.0.0.1:8080", hostname = "a.test" },
                { address = "127.0.0.1:8080", hostnme = "b.test" },
            ]
            """);

        var unknown = Assert.Single(errors, e => e.Message == "unknown key");
        Assert.Equal((5, 35), (unknown.Line, unknown.Column));
        Assert.Equal("clusters.app.frontends[1].hostnme", unknown.Key);
        // The misspelt key also leaves the frontend without its hostname, reported at the frontend.
        Assert.Single(errors, e => e.Key == "clusters.app.frontends[1].hostname" && e.Line == 5);
    }

    [Fact]
    public void WrongValueType_NamesTheExpectedType()
    {
        var error = Error("""
            worker_count = "two"
            """);

        Assert.Equal((1, "worker_count"), (error.Line, error.Key));
        Assert.Equal("expected an integer, got the string \"two\"", error.Message);
    }

    [Fact]
    public void BadEnumValue_ListsTheAcceptedValues()
    {
        var error = Error("""
            [clusters.app]
            protocol = "http"

            load_balancing = "LEAST_CONNECTIONS"
            """);

        Assert.Equal((4, "clusters.app.load_balancing"), (error.Line, error.Key));
        Assert.Contains("ROUND_ROBIN, RANDOM, LEAST_LOADED, POWER_OF_TWO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAnswerFile_IsReportedAtTheKeyNamingIt()
    {
        var error = Error("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            answer_404 = "assets/missing.http"
            """);

        Assert.Equal((4, "listeners[0].answer_404"), (error.Line, error.Key));
        Assert.Equal("file not found: " + Path.Combine(_folder.Root, "assets", "missing.http"), error.Message);
    }

    [Fact]
    public void MissingCertificateFile_IsReportedAtTheFrontendKey()
    {
        var error = Error("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            [clusters.app]
            protocol = "http"
            frontends = [
              { address = "127.0.0.1:8443", hostname = "a.test", certificate = "nope.pem", key = "assets/key.pem" },
            ]
            """);

        Assert.Equal((7, "clusters.app.frontends[0].certificate"), (error.Line, error.Key));
    }

    [Fact]
    public void KeyNotMatchingTheCertificate_IsAnErrorAtTheKey()
    {
        var error = Error("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            certificate = "assets/certificate.pem"
            key = "assets/other-key.pem"
            """);

        Assert.Equal((5, "listeners[0].key"), (error.Line, error.Key));
        Assert.StartsWith("does not match the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TomlSyntaxError_GivesItsLineAndColumn()
    {
        var error = Errors("""
            log_level = "info"
            worker_count =
            max_connections = 10
            """)[0];

        Assert.Equal((2, 15), (error.Line, error.Column));
        Assert.StartsWith("TOML syntax:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    public void ArraysNestedDeeperThan64_AreASyntaxError_NotAnException(int depth)
    {
        // Found by fuzzing (tests/Sozu.Fuzz/regressions/toml-config/nesting-depth-65): Tomlyn's
        // syntax pass threw TomlException past its maximum depth of 64 instead of reporting it.
        var toml = "a = " + new string('[', depth) + new string(']', depth);

        var error = Assert.Single(Errors(toml));

        Assert.StartsWith("TOML syntax:", error.Message, StringComparison.Ordinal);
        Assert.Contains("depth", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = \"\\")]
    [InlineData("log_level = \"info\"\nworker_count = \"1\\")]
    [InlineData("a = \"\"\"x\\")]
    public void BackslashEndingTheFileInsideAString_IsASyntaxErrorAtTheEnd_NotAnException(string toml)
    {
        // Found by fuzzing (tests/Sozu.Fuzz/regressions/toml-config): Tomlyn's lexer threw.
        var error = Assert.Single(Errors(toml));

        var lines = toml.Split('\n');
        Assert.Equal((lines.Length, lines[^1].Length + 1), (error.Line, error.Column));
        Assert.StartsWith("TOML syntax:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedefinedKey_IsASyntaxErrorAtTheSecondDefinition()
    {
        var error = Error("""
            worker_count = 1
            worker_count = 2
            """);

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void NegativeNumber_IsRefused()
    {
        var error = Error("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            front_timeout = -5
            """);

        Assert.Equal((4, "listeners[0].front_timeout", "must not be negative (got -5)"), (error.Line, error.Key, error.Message));
    }

    [Fact]
    public void BadAddress_IsRefused()
    {
        var error = Error("""
            [clusters.app]
            protocol = "tcp"
            frontends = [ { address = "127.0.0.1:9000" } ]
            backends = [ { address = "localhost:5432" } ]
            """);

        Assert.Equal((4, "clusters.app.backends[0].address"), (error.Line, error.Key));
        Assert.Contains("\"localhost:5432\" is not an address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateListenerAddress_IsReportedAtTheSecondListener()
    {
        var error = Error("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"

            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8080"
            """);

        Assert.Equal((7, "listeners[1].address"), (error.Line, error.Key));
    }

    [Fact]
    public void HttpFrontendOnATcpListener_IsRefused()
    {
        var error = Error("""
            [[listeners]]
            protocol = "tcp"
            address = "127.0.0.1:9000"
            [clusters.app]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:9000", hostname = "a.test" } ]
            """);

        Assert.Equal((6, "clusters.app.frontends[0].address"), (error.Line, error.Key));
        Assert.Contains("is tcp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenerWithoutProtocol_IsOneError()
    {
        var error = Error("""
            [[listeners]]
            address = "127.0.0.1:8080"
            """);

        Assert.Equal((2, "listeners[0].protocol"), (error.Line, error.Key));
    }

    [Fact]
    public void UnsupportedTlsVersion_IsRefused()
    {
        var error = Error("""
            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:8443"
            tls_versions = ["TLS_V12", "TLS_V11"]
            """);

        Assert.Equal((4, "listeners[0].tls_versions"), (error.Line, error.Key));
        Assert.Contains("TLS_V11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldApplicationsSection_GetsAHint()
    {
        var error = Error("""
            [applications.MyApp]
            protocol = "http"
            """);

        Assert.Equal((1, "applications"), (error.Line, error.Key));
        Assert.Contains("[clusters]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralProblems_AreAllReportedInFileOrder()
    {
        var errors = Errors("""
            worker_count = -1
            log_level = "loud"
            [[listeners]]
            protocol = "ftp"
            address = "127.0.0.1:21"
            [clusters.app]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:8080", hostname = "a.test", path_type = "GLOB" } ]
            """);

        Assert.Equal([1, 2, 4, 8], errors.Select(e => e.Line));
        Assert.Equal(["worker_count", "log_level", "listeners[0].protocol", "clusters.app.frontends[0].path_type"], errors.Select(e => e.Key));
    }

    [Fact]
    public void DuplicateBackendId_IsReportedAtTheSecondBackend()
    {
        var error = Error("""
            [clusters.app]
            protocol = "tcp"
            frontends = [ { address = "127.0.0.1:9000" } ]
            backends = [
              { address = "127.0.0.1:9001", backend_id = "b" },
              { address = "127.0.0.1:9002", backend_id = "b" },
            ]
            """);

        Assert.Equal((6, "clusters.app.backends[1].backend_id"), (error.Line, error.Key));
    }

    [Fact]
    public void NonStringTag_IsAWrongType()
    {
        var error = Error("""
            [clusters.app]
            protocol = "tcp"
            frontends = [ { address = "127.0.0.1:9000", tags = { owner = 42 } } ]
            """);

        Assert.Equal(("clusters.app.frontends[0].tags.owner", "expected a string, got the integer 42"), (error.Key, error.Message));
    }

    [Fact]
    public void FrontendsNotAnArrayOfTables_IsAWrongType()
    {
        var error = Error("""
            [clusters.app]
            protocol = "http"
            frontends = "127.0.0.1:8080"
            """);

        Assert.Equal((3, "clusters.app.frontends", "expected an array of tables, got the string \"127.0.0.1:8080\""), (error.Line, error.Key, error.Message));
    }

    [Fact]
    public void AnswersTableWithAnUnknownStatus_IsRefused()
    {
        var error = Error("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            [listeners.answers]
            "404" = "assets/404.http"
            "418" = "assets/404.http"
            """);

        Assert.Equal((6, "listeners[0].answers.418"), (error.Line, error.Key));
    }
}
