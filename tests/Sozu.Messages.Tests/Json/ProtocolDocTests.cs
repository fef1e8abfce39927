using System.Text;
using Sozu.Messages.Json;
using Xunit;

namespace Sozu.Messages.Tests.Json;

/// <summary>docs/protocol.md, "Every request type", against the request registry.</summary>
public sealed class ProtocolDocTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, List<string>>> Sections = new(ReadSections);

    public static TheoryData<string> RegistryTypes()
    {
        var data = new TheoryData<string>();
        foreach (var name in CommandJson.RequestTypeNames)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RegistryTypes))]
    public void EveryRegistryType_HasAnExampleThatParses_AndAFinalAnswer(string type)
    {
        Assert.True(Sections.Value.TryGetValue(type, out var lines), $"docs/protocol.md has no \"### `{type}`\" section");
        var request = Assert.Single(lines, l => l.StartsWith("→ ", StringComparison.Ordinal));
        Assert.True(CommandJson.TryParseRequest(Encoding.UTF8.GetBytes(request[2..]), out var envelope, out var error), $"{type}: {error}");
        Assert.Equal(type, CommandJson.RequestTypeName(envelope.Request.GetType()));

        var answers = 0;
        var final = 0;
        foreach (var line in lines)
        {
            if (!line.StartsWith("← ", StringComparison.Ordinal))
            {
                continue;
            }
            var json = Encoding.UTF8.GetBytes(line[2..]);
            if (line.StartsWith("← {\"type\":\"event\"", StringComparison.Ordinal))
            {
                Assert.True(CommandJson.TryParseEvent(json, out _, out var eventError), $"{type}: {eventError}");
                continue;
            }
            Assert.True(CommandJson.TryParseAnswer(json, out var answer, out var answerError), $"{type}: {answerError}");
            Assert.Equal(envelope.Id, answer.Id);
            answers++;
            if (answer.Status != Sozu.Messages.Answers.AnswerStatus.Processing)
            {
                final++;
            }
        }
        Assert.True(answers > 0, $"{type}: no answer line");
        Assert.Equal(1, final);
    }

    [Fact]
    public void EverySectionOfTheDoc_IsARegistryType()
    {
        var registry = new HashSet<string>(CommandJson.RequestTypeNames, StringComparer.Ordinal);
        foreach (var type in Sections.Value.Keys)
        {
            Assert.Contains(type, registry);
        }
    }

    /// <summary>The lines of each "### `type`" section of "## Every request type", up to the next "## ".</summary>
    private static Dictionary<string, List<string>> ReadSections()
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var inPart = false;
        List<string>? current = null;
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "protocol.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inPart = line == "## Every request type";
                current = null;
                continue;
            }
            if (!inPart)
            {
                continue;
            }
            if (line.StartsWith("### `", StringComparison.Ordinal) && line.EndsWith('`'))
            {
                current = [];
                Assert.True(sections.TryAdd(line[5..^1], current), "a second section for " + line);
                continue;
            }
            current?.Add(line);
        }
        return sections;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SozuActors.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("SozuActors.sln not found above " + AppContext.BaseDirectory);
    }
}
