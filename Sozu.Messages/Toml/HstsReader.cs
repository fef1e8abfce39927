using Sozu.Messages.Config;

namespace Sozu.Messages.Toml;

/// <summary>An [hsts] table, on an https listener (the default) or a frontend (an override).</summary>
internal static class HstsReader
{
    public static HstsConfig? Read(TomlSection parent)
    {
        var table = parent.Table("hsts", ConfigSection.Hsts);
        if (table is null)
        {
            return null;
        }
        var enabled = table.Bool("enabled");
        if (enabled is null && !table.Has("enabled"))
        {
            // As Sōzu: an explicit switch, so a later partial update can tell "keep" from "disable".
            parent.Error("hsts", "\"enabled\" is required in an [hsts] table");
        }
        var defaults = new HstsConfig();
        var hsts = new HstsConfig
        {
            Enabled = enabled ?? false,
            MaxAge = table.Int("max_age") ?? defaults.MaxAge,
            IncludeSubdomains = table.Bool("include_subdomains") ?? defaults.IncludeSubdomains,
            Preload = table.Bool("preload") ?? defaults.Preload,
        };
        table.ReportUnknownKeys();
        return hsts;
    }
}
