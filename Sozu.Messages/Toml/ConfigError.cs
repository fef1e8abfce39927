using System.Globalization;

namespace Sozu.Messages.Toml;

/// <summary>
/// A problem found in a configuration file, located at the key that caused it. Line and column
/// are 1-based; 0 means the problem has no place in the text (the file itself is missing).
/// </summary>
public sealed record ConfigError(string File, int Line, int Column, string Key, string Message)
{
    /// <summary>"file:line:col: key: message", the shape compilers use, so editors can jump to it.</summary>
    public override string ToString()
    {
        var place = Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}")
            : File;
        return Key.Length == 0 ? $"{place}: {Message}" : $"{place}: {Key}: {Message}";
    }
}
