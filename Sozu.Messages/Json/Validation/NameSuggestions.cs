namespace Sozu.Messages.Json.Validation;

/// <summary>"Did you mean …": the known names within a small edit distance of a typo.</summary>
internal static class NameSuggestions
{
    private const int MaxSuggestions = 3;

    public static IReadOnlyList<string> Closest(string typo, IEnumerable<string> known)
    {
        // A third of the length catches a swapped or missing letter without suggesting noise.
        var threshold = Math.Max(2, typo.Length / 3);
        var scored = new List<(int Distance, string Name)>();
        foreach (var name in known)
        {
            var distance = Distance(typo, name);
            if (distance <= threshold)
            {
                scored.Add((distance, name));
            }
        }
        scored.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : string.CompareOrdinal(a.Name, b.Name));
        var result = new List<string>(Math.Min(MaxSuggestions, scored.Count));
        for (var i = 0; i < scored.Count && i < MaxSuggestions; i++)
        {
            result.Add(scored[i].Name);
        }
        return result;
    }

    /// <summary>Case-insensitive Levenshtein distance, two rows.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
