using System.Globalization;
using Sozu.Messages.Collections;
using Tomlyn.Model;

namespace Sozu.Messages.Toml;

/// <summary>
/// A table of the file being read: typed getters that report a wrong type or value at the key's
/// line, and a record of which keys were read so that every other key is reported as unknown.
/// </summary>
internal sealed class TomlSection
{
    private readonly TomlTable _table;
    private readonly TomlPropertiesMetadata? _metadata;
    private readonly LoadContext _context;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TomlSection(LoadContext context, TomlTable table, string path, SourceLocation fallback, ConfigSection? kind = null)
    {
        _context = context;
        _table = table;
        Path = path;
        Kind = kind;
        _context.Metadata.TryGetProperties(table, out _metadata);
        Location = FirstKeyLocation() ?? fallback;
    }

    /// <summary>The dotted path of this table in the file ("" for the root, "listeners[1]", "clusters.app").</summary>
    public string Path { get; }

    /// <summary>Where the table starts (its first key), for errors about the table as a whole.</summary>
    public SourceLocation Location { get; }

    public LoadContext Context => _context;

    /// <summary>Which table of <see cref="ConfigKeys"/> lists this section's keys; null: a map (ids, status codes, tags).</summary>
    public ConfigSection? Kind { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key) => _table.ContainsKey(key);

    /// <summary>Marks a key as handled by the caller (reported some other way), so it is not also "unknown".</summary>
    public void MarkKnown(string key) => _known.Add(key);

    public SourceLocation LocationOf(string key)
    {
        if (_metadata is not null && _metadata.TryGetProperty(key, out var property) && property?.Span is { } span)
        {
            // Tomlyn's positions are 0-based.
            return new SourceLocation(span.Start.Line + 1, span.Start.Column + 1);
        }
        return Location;
    }

    /// <summary>Where <paramref name="key"/> of the table <paramref name="table"/> of this section was written, if both exist.</summary>
    public SourceLocation? NestedLocationOf(string table, string key)
    {
        if (_table.TryGetValue(table, out var value) && value is TomlTable nested
            && _context.Metadata.TryGetProperties(nested, out var metadata) && metadata is not null
            && metadata.TryGetProperty(key, out var property) && property?.Span is { } span)
        {
            return new SourceLocation(span.Start.Line + 1, span.Start.Column + 1);
        }
        return null;
    }

    public void Error(string key, string message) => _context.Error(LocationOf(key), KeyPath(key), message);

    public void Warning(string key, string message) => _context.Warning(LocationOf(key), KeyPath(key), message);

    /// <summary>Keys that act elsewhere but not in this section's case: an error each, since nothing would act on them.</summary>
    public void RefuseInapplicable(IEnumerable<string> keys, string what)
    {
        foreach (var key in keys)
        {
            if (_known.Add(key) && _table.ContainsKey(key))
            {
                Error(key, $"is not valid on {what}");
            }
        }
    }

    /// <summary>
    /// Reports, at its line, every key of this table that no getter asked for: a refused key of
    /// <see cref="ConfigKeys"/> is an error that says it is not supported, a cosmetic one a
    /// warning, any other an unknown key.
    /// </summary>
    public void ReportUnknownKeys()
    {
        foreach (var pair in _table)
        {
            if (_known.Contains(pair.Key))
            {
                continue;
            }
            var entry = Kind is { } kind ? ConfigKeys.Find(kind, pair.Key) : null;
            switch (entry?.Status)
            {
                case KeyStatus.Refused:
                    Error(pair.Key, $"not supported yet ({entry.Note}); remove it, it would not act");
                    break;
                case KeyStatus.Cosmetic:
                    Warning(pair.Key, $"ignored ({entry.Note})");
                    break;
                default:
                    Error(pair.Key, "unknown key");
                    break;
            }
        }
    }

    public string? String(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        if (value is string text)
        {
            return text;
        }
        WrongType(key, "a string", value);
        return null;
    }

    /// <summary>A string that must not be empty (after trimming), or null when absent or bad.</summary>
    public string? NonEmptyString(string key)
    {
        var text = String(key);
        if (text is not null && text.Trim().Length == 0)
        {
            Error(key, "must not be empty");
            return null;
        }
        return text;
    }

    public bool? Bool(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        if (value is bool flag)
        {
            return flag;
        }
        WrongType(key, "a boolean (true or false)", value);
        return null;
    }

    /// <summary>An integer in [min, max]; TOML integers are 64-bit, our settings are 32-bit.</summary>
    public int? Int(string key, int min = 0, int max = int.MaxValue)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        if (value is not long number)
        {
            WrongType(key, "an integer", value);
            return null;
        }
        if (number < min)
        {
            Error(key, min == 0
                ? string.Create(CultureInfo.InvariantCulture, $"must not be negative (got {number})")
                : string.Create(CultureInfo.InvariantCulture, $"must be at least {min} (got {number})"));
            return null;
        }
        if (number > max)
        {
            Error(key, string.Create(CultureInfo.InvariantCulture, $"must be at most {max} (got {number})"));
            return null;
        }
        return (int)number;
    }

    /// <summary>An enum value by name, case-insensitive; the error lists the accepted names.</summary>
    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        foreach (var pair in names)
        {
            if (string.Equals(pair.Key, text, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }
        Error(key, $"unknown value \"{text}\"; expected one of {string.Join(", ", names.Keys)}");
        return null;
    }

    /// <summary>An array of strings; <paramref name="splitOn"/> also accepts one string holding a separated list (OpenSSL's cipher strings).</summary>
    public ValueList<string>? StringList(string key, char? splitOn = null)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        if (value is string single && splitOn is { } separator)
        {
            return ValueList<string>.From(single.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        if (value is not TomlArray array)
        {
            WrongType(key, "an array of strings", value);
            return null;
        }
        var items = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is not string text)
            {
                WrongType(key, "an array of strings", item);
                return null;
            }
            items.Add(text);
        }
        return ValueList<string>.From(items);
    }

    /// <summary>An array of non-negative 32-bit integers (uids).</summary>
    public ValueList<uint>? UintList(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        if (value is not TomlArray array)
        {
            WrongType(key, "an array of integers", value);
            return null;
        }
        var items = new List<uint>(array.Count);
        foreach (var item in array)
        {
            if (item is not long number || number < 0 || number > uint.MaxValue)
            {
                WrongType(key, "an array of integers from 0 to 4294967295", item);
                return null;
            }
            items.Add((uint)number);
        }
        return ValueList<uint>.From(items);
    }

    /// <summary>A table of string values (frontend tags).</summary>
    public StringMap? StringMap(string key)
    {
        var table = Table(key);
        if (table is null)
        {
            return null;
        }
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in table._table)
        {
            table._known.Add(pair.Key);
            if (pair.Value is string text)
            {
                pairs.Add(new(pair.Key, text));
            }
            else
            {
                table.WrongType(pair.Key, "a string", pair.Value);
            }
        }
        return Collections.StringMap.From(pairs);
    }

    /// <param name="kind">The key table of the section read; null: a map.</param>
    public TomlSection? Table(string key, ConfigSection? kind = null)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        if (value is TomlTable table)
        {
            return new TomlSection(_context, table, KeyPath(key), LocationOf(key), kind);
        }
        WrongType(key, "a table", value);
        return null;
    }

    /// <summary>An array of tables, written either as [[key]] headers or as an inline array of { … }.</summary>
    public IReadOnlyList<TomlSection>? TableList(string key, ConfigSection kind)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }
        var tables = new List<TomlTable>();
        switch (value)
        {
            case TomlTableArray headers:
                tables.AddRange(headers);
                break;
            case TomlArray array:
                foreach (var item in array)
                {
                    if (item is not TomlTable table)
                    {
                        WrongType(key, "an array of tables", item);
                        return null;
                    }
                    tables.Add(table);
                }
                break;
            default:
                WrongType(key, "an array of tables", value);
                return null;
        }
        var sections = new List<TomlSection>(tables.Count);
        for (var i = 0; i < tables.Count; i++)
        {
            sections.Add(new TomlSection(_context, tables[i], string.Create(CultureInfo.InvariantCulture, $"{KeyPath(key)}[{i}]"), LocationOf(key), kind));
        }
        return sections;
    }

    /// <summary>The keys of this table in file order, each marked as known (for maps keyed by id).</summary>
    public IReadOnlyList<string> TakeAllKeys()
    {
        var keys = new List<string>(_table.Count);
        foreach (var pair in _table)
        {
            _known.Add(pair.Key);
            keys.Add(pair.Key);
        }
        return keys;
    }

    private SourceLocation? FirstKeyLocation()
    {
        if (_metadata is null)
        {
            return null;
        }
        SourceLocation? first = null;
        foreach (var pair in _table)
        {
            if (_metadata.TryGetProperty(pair.Key, out var property) && property?.Span is { } span
                && (first is null || span.Start.Line + 1 < first.Value.Line))
            {
                first = new SourceLocation(span.Start.Line + 1, span.Start.Column + 1);
            }
        }
        return first;
    }

    private bool TryGet(string key, out object value)
    {
        if (Kind is { } kind && ConfigKeys.Find(kind, key)?.Status != KeyStatus.Acts)
        {
            // The reader acts on a key that docs/config-keys.md does not list as acting.
            throw new InvalidOperationException($"the {kind} reader reads \"{key}\", which ConfigKeys.Acts does not list");
        }
        _known.Add(key);
        if (_table.TryGetValue(key, out var found) && found is not null)
        {
            value = found;
            return true;
        }
        value = null!;
        return false;
    }

    private void WrongType(string key, string expected, object? actual) => Error(key, $"expected {expected}, got {Describe(actual)}");

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string text => $"the string \"{text}\"",
        bool flag => flag ? "true" : "false",
        long number => string.Create(CultureInfo.InvariantCulture, $"the integer {number}"),
        double number => string.Create(CultureInfo.InvariantCulture, $"the float {number}"),
        TomlTable => "a table",
        TomlTableArray or TomlArray => "an array",
        _ => $"a {value.GetType().Name}",
    };
}
