using Sozu.Messages.Collections;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace Sozu.Messages.Toml;

/// <summary>
/// Reads a Sōzu-style config.toml (SPEC §2) into process settings and the ordered requests
/// that build its routing state. Every problem is reported with file, line, column and key;
/// unknown keys are errors, never ignored.
/// </summary>
public static class ConfigFileLoader
{
    public static LoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed(path, "configuration file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(path, "cannot read the configuration file: " + e.Message);
        }
        return Parse(text, path);
    }

    /// <param name="sourcePath">Names the file in errors; relative paths in the text resolve against its folder.</param>
    public static LoadResult Parse(string text, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourcePath);

        // The syntax tree pass reports every syntax error and every redefined key with its place;
        // the model pass below would stop at the first or let a redefinition win.
        Tomlyn.Syntax.DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, sourcePath, validate: true);
        }
        catch (ArgumentException)
        {
            // Tomlyn 2.10.2 (and 2.11.1) throws ArgumentOutOfRangeException when the text ends inside
            // a string right after a backslash (`a = "\`), instead of reporting a syntax error.
            // Found by fuzzing (tests/Sozu.Fuzz/regressions/toml-config); the text is unreadable
            // from the point the lexer gave up, which it does not say, so the error points at the end.
            var (line, column) = EndOf(text);
            return new LoadFailed(ValueList<ConfigError>.Of(new ConfigError(sourcePath, line, column, "", "TOML syntax: the parser gave up before the end of the file (a string or an escape sequence left open?)")));
        }
        catch (TomlException e)
        {
            // Tomlyn's syntax pass throws (instead of reporting) when arrays or inline tables nest
            // deeper than 64: `a = [[[[...` found by fuzzing (regressions/toml-config/nesting-depth-65).
            return new LoadFailed(ValueList<ConfigError>.Of(new ConfigError(sourcePath, e.Line ?? 0, e.Column ?? 0, "", "TOML syntax: " + e.Message)));
        }
        if (document.HasErrors)
        {
            var errors = new List<ConfigError>();
            foreach (var diagnostic in document.Diagnostics)
            {
                if (diagnostic.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
                {
                    errors.Add(new ConfigError(sourcePath, diagnostic.Span.Start.Line + 1, diagnostic.Span.Start.Column + 1, "", "TOML syntax: " + diagnostic.Message));
                }
            }
            return new LoadFailed(ValueList<ConfigError>.From(errors));
        }

        var metadata = new TomlMetadataStore();
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions
            {
                MetadataStore = metadata,
                SourceName = sourcePath,
                DuplicateKeyHandling = TomlDuplicateKeyHandling.Error,
            }) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            return new LoadFailed(ValueList<ConfigError>.Of(new ConfigError(sourcePath, e.Line ?? 0, e.Column ?? 0, "", "TOML: " + e.Message)));
        }

        var context = new LoadContext(sourcePath, metadata);
        var plan = ConfigReader.Read(context, root);
        if (context.HasErrors || plan is null)
        {
            return new LoadFailed(context.Errors);
        }
        return new LoadedConfig(plan.Global, plan.ToRequests(), sourcePath) { Warnings = context.Warnings };
    }

    /// <summary>The 1-based line and column just past the last character.</summary>
    private static (int Line, int Column) EndOf(string text)
    {
        var lastNewline = text.LastIndexOf('\n');
        return (text.AsSpan().Count('\n') + 1, text.Length - lastNewline);
    }

    private static LoadFailed Failed(string path, string message) => new(ValueList<ConfigError>.Of(new ConfigError(path, 0, 0, "", message)));
}
