using System.Globalization;
using System.Text;
using Sozu.Messages.Answers;

namespace Sozu.Actors.Metrics;

/// <summary>
/// statsd lines for samples, as Sōzu sends them: counters as the increase since the previous
/// flush (<c>|c</c>), gauges as their level (<c>|g</c>), durations as timers (<c>|ms</c>).
/// Tagged: DogStatsD tags (<c>|#cluster_id:app</c>); untagged: the labels become part of the
/// dotted name.
/// </summary>
/// <remarks>
/// Sōzu sends one timer line per sample; the workers here count samples in buckets, so each
/// flush sends one line per bucket that gained samples since the previous flush: the bucket's
/// middle in milliseconds, with a sample rate of 1/n for its n new samples, which a statsd
/// server reads as n samples of that value (within the bucket's 12.5 % width). The server then
/// computes its percentiles over every worker and every flush, as it would for Sōzu.
/// </remarks>
public sealed class StatsdLines
{
    private readonly Dictionary<string, long> _lastCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _lastBuckets = new(StringComparer.Ordinal);
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
            if (sample.Kind == MetricKind.Histogram)
            {
                Timers(lines, name, memory, sample);
                continue;
            }
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
            Tags(line, sample);
            lines.Add(line.ToString());
        }
        return lines;
    }

    private void Timers(List<string> lines, string name, string memory, MetricSample sample)
    {
        var histogram = sample.Histogram;
        if (histogram is null || histogram.Count == 0)
        {
            return;
        }
        var current = new long[TimeBuckets.Count];
        histogram.AddTo(current);
        var previous = _lastBuckets.GetValueOrDefault(memory);
        _lastBuckets[memory] = current;
        // A restarted worker starts from zero: then the whole histogram is new.
        var restarted = false;
        for (var i = 0; previous is not null && i < current.Length; i++)
        {
            restarted |= current[i] < previous[i];
        }
        for (var i = 0; i < current.Length; i++)
        {
            var fresh = previous is null || restarted ? current[i] : current[i] - previous[i];
            if (fresh <= 0)
            {
                continue;
            }
            var lower = TimeBuckets.LowerBound(i);
            var middleMicros = i == TimeBuckets.Overflow ? lower : (lower + TimeBuckets.UpperBound(i)) / 2.0;
            var line = new StringBuilder(name.Length + 40).Append(name).Append(':')
                .Append((middleMicros / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)).Append("|ms");
            if (fresh > 1)
            {
                line.Append("|@").Append((1.0 / fresh).ToString("0.#########", CultureInfo.InvariantCulture));
            }
            Tags(line, sample);
            lines.Add(line.ToString());
        }
    }

    private void Tags(StringBuilder line, MetricSample sample)
    {
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
