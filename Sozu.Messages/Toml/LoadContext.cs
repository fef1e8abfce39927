using Sozu.Messages.Collections;
using Tomlyn.Serialization;

namespace Sozu.Messages.Toml;

/// <summary>The state of one load: where the file is, what was found wrong so far, and the source positions of its keys.</summary>
internal sealed class LoadContext(string sourcePath, TomlMetadataStore metadata)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigError> _warnings = [];

    public string SourcePath { get; } = sourcePath;

    /// <summary>Relative paths in the file are relative to the file's folder, as in Sōzu.</summary>
    public string BaseDirectory { get; } = Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? Directory.GetCurrentDirectory();

    public TomlMetadataStore Metadata { get; } = metadata;

    public bool HasErrors => _errors.Count > 0;

    public void Error(SourceLocation at, string key, string message) => _errors.Add(new ConfigError(SourcePath, at.Line, at.Column, key, message));

    public void Warning(SourceLocation at, string key, string message) => _warnings.Add(new ConfigError(SourcePath, at.Line, at.Column, key, message));

    public ValueList<ConfigError> Errors => ValueList<ConfigError>.From(Sorted(_errors));

    public ValueList<ConfigError> Warnings => ValueList<ConfigError>.From(Sorted(_warnings));

    // Sections are read in a logical order (globals, listeners, clusters); operators read errors in file order.
    private static IEnumerable<ConfigError> Sorted(List<ConfigError> list) => list.OrderBy(e => e.Line).ThenBy(e => e.Column);
}

/// <summary>A 1-based line and column in the configuration file.</summary>
internal readonly record struct SourceLocation(int Line, int Column);
