using System.Globalization;
using System.Text;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

/// <summary>
/// The key tables (ConfigKeys) against the readers, and docs/config-keys.md against the tables.
/// To rewrite the document after changing a table: SOZU_WRITE_DOCS=1 dotnet test --filter ConfigKeysTests.
/// </summary>
public sealed class ConfigKeysTests
{
    public static TheoryData<string, string> ActingKeys() => Keys(KeyStatus.Acts);

    public static TheoryData<string, string> RefusedKeys() => Keys(KeyStatus.Refused);

    public static TheoryData<string, string> CosmeticKeys() => Keys(KeyStatus.Cosmetic);

    [Fact]
    public void Tables_ListEachKeyOfASectionOnce()
    {
        var seen = new HashSet<(ConfigSection, string)>();
        foreach (var key in ConfigKeys.All)
        {
            Assert.True(seen.Add((key.Section, key.Key)), $"{key.Section}.{key.Key} is listed twice");
            Assert.Equal(key.Key.Trim(), key.Key);
        }
    }

    /// <summary>
    /// Each acting key, given a value of a type no key takes (a float), is reported as a wrong
    /// type at its line: proof that its section's reader asks for it (an unread key would be
    /// "unknown", a refused one "not supported").
    /// </summary>
    [Theory]
    [MemberData(nameof(ActingKeys))]
    public void ActingKey_IsReadByItsSectionsReader(string section, string key)
    {
        var errors = ErrorsOf(Place(Enum.Parse<ConfigSection>(section), key, "1.5"));

        Assert.Contains(errors, e => e.Key.EndsWith(key, StringComparison.Ordinal) && e.Line == MarkedLine && e.Message.Contains("float 1.5", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Message == "unknown key" || e.Message.StartsWith("not supported", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public void RefusedKey_IsAnErrorAtItsLine_ThatSaysItIsNotSupported(string section, string key)
    {
        var errors = ErrorsOf(Place(Enum.Parse<ConfigSection>(section), key, "true"));

        var error = Assert.Single(errors);
        Assert.EndsWith(key, error.Key, StringComparison.Ordinal);
        Assert.Equal(MarkedLine, error.Line);
        Assert.StartsWith("not supported yet (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CosmeticKeys))]
    public void CosmeticKey_LoadsWithAWarningAtItsLine(string section, string key)
    {
        var result = ConfigFileLoader.Parse(Place(Enum.Parse<ConfigSection>(section), key, "true"), "config.toml");

        var loaded = Assert.IsType<LoadedConfig>(result);
        var warning = Assert.Single(loaded.Warnings, w => w.Key.EndsWith(key, StringComparison.Ordinal));
        Assert.Equal(MarkedLine, warning.Line);
        Assert.StartsWith("ignored (", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyOfTheWrongKind_IsRefused_NotIgnored()
    {
        var errors = ErrorsOf("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            tls_versions = ["TLS_V12"]
            """);

        var error = Assert.Single(errors);
        Assert.Equal(("listeners[0].tls_versions", 4, "is not valid on an http listener"), (error.Key, error.Line, error.Message));
    }

    [Fact]
    public void CommandAllowedUids_IsRead_AndANegativeUidIsRefused()
    {
        var loaded = Assert.IsType<LoadedConfig>(ConfigFileLoader.Parse("command_allowed_uids = [1000, 0]\n", "config.toml"));
        Assert.Equal([1000u, 0u], loaded.Global.CommandAllowedUids!);

        var error = Assert.Single(ErrorsOf("command_allowed_uids = [-1]\n"));
        Assert.Equal("command_allowed_uids", error.Key);
    }

    [Fact]
    public void AccessLogsFormat_AsciiActs_ProtobufIsRefused()
    {
        Assert.IsType<LoadedConfig>(ConfigFileLoader.Parse("access_logs_format = \"ascii\"\n", "config.toml"));

        var error = Assert.Single(ErrorsOf("access_logs_format = \"protobuf\"\n"));
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigKeysDocument_IsGeneratedFromTheTables()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "config-keys.md");
        var expected = Render();
        if (Environment.GetEnvironmentVariable("SOZU_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }
        Assert.True(File.Exists(path), "docs/config-keys.md is missing; run with SOZU_WRITE_DOCS=1");
        Assert.True(expected == File.ReadAllText(path), "docs/config-keys.md differs from ConfigKeys; run this test with SOZU_WRITE_DOCS=1 and commit the file");
    }

    /// <summary>The line of the key under test in <see cref="Place"/>'s files.</summary>
    private const int MarkedLine = 20;

    /// <summary>A minimal valid file with <paramref name="key"/> = <paramref name="value"/> in a table of <paramref name="section"/>, always on line <see cref="MarkedLine"/>.</summary>
    private static string Place(ConfigSection section, string key, string value)
    {
        var (head, tail) = section switch
        {
            ConfigSection.Global => ("", ""),
            ConfigSection.Metrics => ("[metrics]\n", ""),
            ConfigSection.Listener => ("[[listeners]]\n" + Unless(key, "protocol", "protocol = \"https\"\n") + Unless(key, "address", "address = \"127.0.0.1:8443\"\n"), ""),
            ConfigSection.Hsts => ("[[listeners]]\nprotocol = \"https\"\naddress = \"127.0.0.1:8443\"\n[listeners.hsts]\n" + Unless(key, "enabled", "enabled = true\n"), ""),
            ConfigSection.Cluster => ("[clusters.app]\n" + Unless(key, "protocol", "protocol = \"http\"\n") + Unless(key, "frontends", "frontends = []\n") + Unless(key, "backends", "backends = []\n"), ""),
            ConfigSection.HealthCheck => ("[clusters.app]\nprotocol = \"http\"\nfrontends = []\nbackends = []\n[clusters.app.health_check]\n", ""),
            ConfigSection.Frontend => ("[clusters.app]\nprotocol = \"http\"\nbackends = []\n[[clusters.app.frontends]]\n" + Unless(key, "address", "address = \"127.0.0.1:8080\"\n") + Unless(key, "hostname", "hostname = \"app.test\"\n"), ""),
            ConfigSection.Backend => ("[clusters.app]\nprotocol = \"http\"\nfrontends = []\n[[clusters.app.backends]]\n" + Unless(key, "address", "address = \"127.0.0.1:9000\"\n"), ""),
            _ => throw new ArgumentOutOfRangeException(nameof(section)),
        };
        var lines = head.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder();
        // Blank lines and comments before the table header keep the key on MarkedLine.
        for (var i = 0; i < MarkedLine - 1 - lines.Length; i++)
        {
            text.Append("# padding\n");
        }
        text.Append(head).Append(CultureInfo.InvariantCulture, $"{key} = {value}\n").Append(tail);
        return text.ToString();
    }

    private static string Unless(string key, string own, string line) => key == own ? "" : line;

    private static Sozu.Messages.Collections.ValueList<ConfigError> ErrorsOf(string toml) =>
        ConfigFileLoader.Parse(toml, "config.toml") is LoadFailed failed ? failed.Errors : Sozu.Messages.Collections.ValueList<ConfigError>.Empty;

    private static TheoryData<string, string> Keys(KeyStatus status)
    {
        var data = new TheoryData<string, string>();
        foreach (var key in ConfigKeys.All)
        {
            if (key.Status == status)
            {
                data.Add(key.Section.ToString(), key.Key);
            }
        }
        return data;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SozuActors.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("SozuActors.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Render()
    {
        var text = new StringBuilder();
        text.Append("""
            # Configuration keys

            Every key of Sōzu's configuration file and what this product does with it. Generated
            from the tables of `Sozu.Messages/Toml/ConfigKeys.cs`, which also drive the file reader;
            a test (`ConfigKeysTests`) fails when this file differs from them. Regenerate with
            `SOZU_WRITE_DOCS=1 dotnet test tests/Sozu.Messages.Tests --filter ConfigKeysTests`.

            - **acts**: read and acted on.
            - **refused**: an error at its line (`sozu config check`, `sozu start`): it would grant,
              restrict, rewrite or redirect traffic, and that is not implemented yet. Remove it, or
              wait for it.
            - **cosmetic**: loads with a warning: ignoring it changes nothing a client or an
              operator relies on (colours, another engine's tuning).

            Any other key is an error ("unknown key"), with its file, line and column.


            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        var counts = new Dictionary<KeyStatus, int>();
        foreach (var key in ConfigKeys.All)
        {
            counts[key.Status] = counts.GetValueOrDefault(key.Status) + 1;
        }
        text.Append(CultureInfo.InvariantCulture, $"{counts.GetValueOrDefault(KeyStatus.Acts)} keys act, {counts.GetValueOrDefault(KeyStatus.Refused)} are refused, {counts.GetValueOrDefault(KeyStatus.Cosmetic)} are cosmetic.\n");
        foreach (var section in Enum.GetValues<ConfigSection>())
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {Title(section)}\n\n| key | status | note |\n|---|---|---|\n");
            foreach (var status in Enum.GetValues<KeyStatus>())
            {
                foreach (var key in ConfigKeys.All)
                {
                    if (key.Section == section && key.Status == status)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"| `{key.Key}` | {status.ToString().ToLowerInvariant()} | {key.Note} |\n");
                    }
                }
            }
        }
        return text.ToString();
    }

    private static string Title(ConfigSection section) => section switch
    {
        ConfigSection.Global => "Top level",
        ConfigSection.Metrics => "`[metrics]`",
        ConfigSection.Listener => "`[[listeners]]`",
        ConfigSection.Hsts => "`[listeners.hsts]` and a frontend's `hsts`",
        ConfigSection.Cluster => "`[clusters.ID]`",
        ConfigSection.HealthCheck => "`[clusters.ID.health_check]`",
        ConfigSection.Frontend => "a cluster's `frontends`",
        ConfigSection.Backend => "a cluster's `backends`",
        _ => section.ToString(),
    };
}
