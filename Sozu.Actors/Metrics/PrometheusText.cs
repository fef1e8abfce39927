using System.Globalization;
using System.Text;

namespace Sozu.Actors.Metrics;

/// <summary>The Prometheus text exposition format (version 0.0.4) of a set of samples.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

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
            var full = Sanitize(prefix) + "_" + name + (first.Kind == MetricKind.Counter ? "_total" : "");
            if (described.Add(full))
            {
                text.Append("# HELP ").Append(full).Append(' ').Append(first.Help).Append('\n');
                text.Append("# TYPE ").Append(full).Append(' ').Append(first.Kind == MetricKind.Counter ? "counter" : "gauge").Append('\n');
            }
            foreach (var sample in family)
            {
                text.Append(full);
                if (sample.Labels.Length > 0)
                {
                    text.Append('{');
                    for (var i = 0; i < sample.Labels.Length; i++)
                    {
                        if (i > 0)
                        {
                            text.Append(',');
                        }
                        text.Append(sample.Labels[i].Key).Append("=\"").Append(EscapeLabel(sample.Labels[i].Value)).Append('"');
                    }
                    text.Append('}');
                }
                text.Append(' ').Append(sample.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return text.ToString();
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
