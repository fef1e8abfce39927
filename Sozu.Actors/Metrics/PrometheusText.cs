using System.Globalization;
using System.Text;
using Sozu.Messages.Answers;

namespace Sozu.Actors.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4) of a set of samples. Time histograms
/// become <c>NAME_seconds</c> histograms with <see cref="BucketBoundsMicros"/> as their
/// <c>le</c> bounds (exact: they are bounds of the recording layout).
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// Exposed bounds, every power of 4 from 64 µs to 67 s: 12 series per histogram (with +Inf)
    /// rather than the 193 of the layout, still exact since each is a layout bound.
    /// </summary>
    public static readonly IReadOnlyList<long> BucketBoundsMicros =
    [
        1L << 6, 1L << 8, 1L << 10, 1L << 12, 1L << 14, 1L << 16, 1L << 18, 1L << 20, 1L << 22, 1L << 24, TimeBuckets.MaxTrackedMicros,
    ];

    public static string Format(IReadOnlyList<MetricSample> samples, string prefix)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var text = new StringBuilder(samples.Count * 64);
        var described = new HashSet<string>(StringComparer.Ordinal);
        // Families must be contiguous: group by name, keeping first-seen order.
        var families = new Dictionary<string, List<MetricSample>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var sample in samples)
        {
            if (!families.TryGetValue(sample.Name, out var list))
            {
                families[sample.Name] = list = [];
                order.Add(sample.Name);
            }
            list.Add(sample);
        }
        foreach (var name in order)
        {
            var family = families[name];
            var first = family[0];
            var full = Sanitize(prefix) + "_" + name + first.Kind switch
            {
                MetricKind.Counter => "_total",
                MetricKind.Histogram => "_seconds",
                _ => "",
            };
            if (described.Add(full))
            {
                text.Append("# HELP ").Append(full).Append(' ').Append(first.Help).Append('\n');
                text.Append("# TYPE ").Append(full).Append(' ').Append(first.Kind switch
                {
                    MetricKind.Counter => "counter",
                    MetricKind.Histogram => "histogram",
                    _ => "gauge",
                }).Append('\n');
            }
            foreach (var sample in family)
            {
                if (sample.Kind == MetricKind.Histogram)
                {
                    Histogram(text, full, sample);
                    continue;
                }
                text.Append(full);
                Labels(text, sample.Labels, null);
                text.Append(' ').Append(sample.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static void Histogram(StringBuilder text, string full, MetricSample sample)
    {
        var histogram = sample.Histogram ?? TimeHistogram.Empty;
        var cumulative = 0L;
        var next = 0;
        var buckets = histogram.Buckets;
        foreach (var bound in BucketBoundsMicros)
        {
            while (next < buckets.Count && buckets[next].LeMicros <= bound)
            {
                cumulative += buckets[next++].Count;
            }
            text.Append(full).Append("_bucket");
            Labels(text, sample.Labels, Seconds(bound));
            text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append(full).Append("_bucket");
        Labels(text, sample.Labels, "+Inf");
        text.Append(' ').Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(full).Append("_sum");
        Labels(text, sample.Labels, null);
        text.Append(' ').Append(Seconds(histogram.SumMicros)).Append('\n');
        text.Append(full).Append("_count");
        Labels(text, sample.Labels, null);
        text.Append(' ').Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Microseconds as decimal seconds, exact ("0.000064", not "6.4E-05").</summary>
    private static string Seconds(long micros) => (micros / 1_000_000m).ToString(CultureInfo.InvariantCulture);

    private static void Labels(StringBuilder text, (string Key, string Value)[] labels, string? le)
    {
        if (labels.Length == 0 && le is null)
        {
            return;
        }
        text.Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(labels[i].Key).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
        }
        if (le is not null)
        {
            text.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
        }
        text.Append('}');
    }

    private static string Sanitize(string prefix)
    {
        var builder = new StringBuilder(prefix.Length);
        foreach (var c in prefix)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return builder.Length == 0 ? "sozu" : builder.ToString();
    }

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
