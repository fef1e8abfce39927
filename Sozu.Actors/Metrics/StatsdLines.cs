using System.Globalization;
using System.Text;

namespace Sozu.Actors.Metrics;

/// <summary>
/// statsd lines for samples, as Sōzu sends them: counters as the increase since the previous
/// flush (<c>|c</c>), gauges as their level (<c>|g</c>). Tagged: DogStatsD tags
/// (<c>|#cluster_id:app</c>); untagged: the labels become part of the dotted name.
/// </summary>
public sealed class StatsdLines
{
    private readonly Dictionary<string, long> _lastCounters = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private readonly bool _tagged;

    public StatsdLines(string prefix, bool tagged)
    {
        _prefix = prefix;
        _tagged = tagged;
    }

    public List<string> Lines(IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var lines = new List<string>(samples.Count);
        foreach (var sample in samples)
        {
            var (name, memory) = Names(sample);
            var value = sample.Value;
            if (sample.Kind == MetricKind.Counter)
            {
                var previous = _lastCounters.GetValueOrDefault(memory);
                _lastCounters[memory] = value;
                // A restarted worker starts from zero: send what it counted since.
                value = value >= previous ? value - previous : value;
                if (value == 0)
                {
                    continue;
                }
            }
            var line = new StringBuilder(name.Length + 24).Append(name).Append(':').Append(value.ToString(CultureInfo.InvariantCulture))
                .Append(sample.Kind == MetricKind.Counter ? "|c" : "|g");
            if (_tagged && sample.Labels.Length > 0)
            {
                line.Append("|#");
                for (var i = 0; i < sample.Labels.Length; i++)
                {
                    if (i > 0)
                    {
                        line.Append(',');
                    }
                    line.Append(sample.Labels[i].Key).Append(':').Append(Clean(sample.Labels[i].Value));
                }
            }
            lines.Add(line.ToString());
        }
        return lines;
    }

    /// <summary>The name on the line, and the key under which a counter's last value is remembered (name and labels).</summary>
    private (string Name, string Memory) Names(MetricSample sample)
    {
        var name = new StringBuilder(_prefix).Append('.');
        if (!_tagged)
        {
            foreach (var (_, value) in sample.Labels)
            {
                name.Append(Clean(value)).Append('.');
            }
        }
        name.Append(sample.Name.Replace('_', '.'));
        var lineName = name.ToString();
        // Tagged samples of distinct label sets share a name; their counters are kept apart.
        foreach (var (k, v) in sample.Labels)
        {
            name.Append('\n').Append(k).Append('=').Append(v);
        }
        return (lineName, name.ToString());
    }

    private static string Clean(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c is ':' or '|' or '@' or '#' or ',' or '.' or ' ' ? '_' : c);
        }
        return builder.ToString();
    }
}
