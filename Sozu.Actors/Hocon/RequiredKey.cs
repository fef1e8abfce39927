using Akka.Configuration;

namespace Sozu.Actors.Hocon;

/// <summary>
/// Reads a sozu.* key that must be present: its default lives in Hocon/reference.conf and
/// nowhere in code, so a missing or malformed key fails here by name instead of being replaced
/// by a second default that could drift from the documented one.
/// </summary>
internal static class RequiredKey
{
    public static TimeSpan Duration(Config config, string path)
    {
        TimeSpan value;
        try
        {
            value = Present(config, path).GetTimeSpan(path, null, allowInfinite: false);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"{path} = {config.GetString(path)} is not a duration (e.g. 250ms, 5s, 1m).", e);
        }
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"{path} = {value} must be a positive duration.");
        }
        return value;
    }

    /// <summary>A number in [0, 1].</summary>
    public static double Fraction(Config config, string path)
    {
        double value;
        try
        {
            value = Present(config, path).GetDouble(path);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"{path} = {config.GetString(path)} is not a number.", e);
        }
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            throw new ConfigurationException($"{path} = {value} must be between 0 and 1.");
        }
        return value;
    }

    private static Config Present(Config config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(path))
        {
            throw new ConfigurationException($"{path} is missing; its default is in Sozu.Actors' reference configuration ({SozuHocon.ReferenceResource}).");
        }
        return config;
    }
}
