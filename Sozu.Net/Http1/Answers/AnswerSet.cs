using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Net.Http1.Answers;

/// <summary>
/// The answers of one listener, or of one cluster on top of its listener's: the defaults with
/// any replaced by an operator's raw HTTP (keyed by status code, as in Sōzu's `answers` map).
/// Built at configuration time; writing one allocates nothing.
/// </summary>
public sealed class AnswerSet
{
    private readonly Dictionary<int, AnswerTemplate> _answers;

    private AnswerSet(Dictionary<int, AnswerTemplate> answers) => _answers = answers;

    public static AnswerSet Default { get; } = Build(null, StringMap.Empty, null);

    /// <summary>
    /// Builds a listener's set (<paramref name="baseSet"/> null) or a cluster's (on top of its
    /// listener's set). Throws <see cref="ArgumentException"/> listing every bad answer; nothing
    /// is built then.
    /// </summary>
    public static AnswerSet Create(StringMap overrides, AnswerSet? baseSet = null, string? clusterId = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return Build(baseSet, overrides, clusterId);
    }

    /// <summary>A cluster's set: its listener's, with the cluster's own 503 if it has one.</summary>
    public static AnswerSet ForCluster(AnswerSet listenerSet, Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(listenerSet);
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Answer503 is null
            ? listenerSet
            : Build(listenerSet, StringMap.From([new KeyValuePair<string, string>("503", cluster.Answer503)]), cluster.ClusterId);
    }

    public AnswerTemplate this[int status] =>
        _answers.TryGetValue(status, out var answer) ? answer : throw new ArgumentOutOfRangeException(nameof(status), status, "no such answer");

    /// <summary>Writes the answer for <paramref name="status"/>; returns the bytes written, or -1 when it does not fit.</summary>
    public int Write(int status, Span<byte> destination, scoped in AnswerContext context) => this[status].Write(destination, context);

    private static AnswerSet Build(AnswerSet? baseSet, StringMap overrides, string? clusterId)
    {
        var answers = new Dictionary<int, AnswerTemplate>();
        var errors = new List<string>();
        foreach (var (status, raw) in DefaultAnswers.Raw)
        {
            answers[status] = baseSet?._answers[status] ?? AnswerTemplate.Parse(raw, status);
        }
        foreach (var (key, raw) in overrides)
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)
                || !DefaultAnswers.Raw.ContainsKey(status))
            {
                errors.Add($"answer '{key}': not one of {string.Join(", ", DefaultAnswers.Raw.Keys)}");
                continue;
            }
            try
            {
                answers[status] = AnswerTemplate.Parse(raw, status, clusterId);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(overrides));
        }
        return new AnswerSet(answers);
    }
}
