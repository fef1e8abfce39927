using System.Text;
using System.Text.Json;
using Sozu.Messages.Answers;
using Sozu.Messages.Json;
using Xunit;

namespace Sozu.Messages.Tests.Json;

public class AnswerJsonTests
{
    public static TheoryData<string> AllContentTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in JsonSamples.ConcreteSubclassesOf<AnswerContent>())
        {
            data.Add(type.FullName!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllContentTypes))]
    public void SerializeAnswer_ThenParse_GivesAnEqualAnswer(string typeName)
    {
        var type = typeof(AnswerContent).Assembly.GetType(typeName)!;
        Assert.True(JsonSamples.Contents.ContainsKey(type), $"no sample for {type.Name} in {nameof(JsonSamples)}");
        var answer = Answer.Ok("42", JsonSamples.Contents[type], "done");
        var line = CommandJson.SerializeAnswer(answer);

        var parsed = CommandJson.TryParseAnswer(line, out var back, out var error);

        Assert.True(parsed, error + " in " + Encoding.UTF8.GetString(line));
        Assert.Equal(answer, back);
    }

    [Theory]
    [MemberData(nameof(AllContentTypes))]
    public void SerializeAnswer_ContentType_IsTheRecordNameWithoutContent(string typeName)
    {
        var type = typeof(AnswerContent).Assembly.GetType(typeName)!;
        var line = CommandJson.SerializeAnswer(Answer.Ok("1", JsonSamples.Contents[type]));

        using var document = JsonDocument.Parse(line);
        var expected = JsonNamingPolicy.SnakeCaseLower.ConvertName(type.Name[..^"Content".Length]);
        Assert.Equal(expected, document.RootElement.GetProperty("content").GetProperty("type").GetString());
    }

    [Fact]
    public void SerializeAnswer_ListWorkers_HasTheShapeOfSpecSection4()
    {
        var content = new WorkersContent(Collections.ValueList<WorkerInfo>.Of(new WorkerInfo(0, 1234, "running")));

        var line = Encoding.UTF8.GetString(CommandJson.SerializeAnswer(Answer.Ok("9", content)));

        Assert.Equal("""{"id":"9","status":"ok","message":"","content":{"type":"workers","workers":[{"id":0,"pid":1234,"state":"running"}]}}""", line);
    }

    [Fact]
    public void SerializeAnswer_Error_HasNoContent()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeAnswer(Answer.Error("3", "add_backend: data.address is required")));

        Assert.Equal("""{"id":"3","status":"error","message":"add_backend: data.address is required"}""", line);
    }

    [Fact]
    public void SerializeAnswer_Processing_RoundTrips()
    {
        var answer = Answer.Processing("p", "3/10 workers");

        Assert.True(CommandJson.TryParseAnswer(CommandJson.SerializeAnswer(answer), out var back, out var error), error);
        Assert.Equal(answer, back);
    }

    [Fact]
    public void SerializeAnswer_Listeners_CarryTheirProtocol()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeAnswer(Answer.Ok("1", JsonSamples.Contents[typeof(ListenersContent)])));

        Assert.Contains("{\"listener\":{\"protocol\":\"https\"", line, StringComparison.Ordinal);
        Assert.Contains("{\"listener\":{\"protocol\":\"tcp\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseAnswer_ContentTypeAfterItsFields_Parses()
    {
        var line = """{"id":"1","status":"ok","content":{"workers":[{"id":0,"pid":1,"state":"running"}],"type":"workers"}}"""u8;

        Assert.True(CommandJson.TryParseAnswer(line, out var answer, out var error), error);
        Assert.Equal(Answer.Ok("1", new WorkersContent(Collections.ValueList<WorkerInfo>.Of(new WorkerInfo(0, 1, "running")))), answer);
    }

    [Theory]
    [InlineData("""{"id":"1","status":"ok","message":"","content":{"type":"wrokers","workers":[]}}""", "answer: content.type: expected one of \"workers\", \"clusters\", \"clusters_hashes\", \"listeners\", \"frontends\", \"certificates\", \"request_counts\", \"event\", \"metrics\", \"status\", \"state_file\", got \"wrokers\"")]
    [InlineData("""{"id":"1","status":"fine"}""", "answer: status: expected one of \"processing\", \"ok\", \"error\", got \"fine\"")]
    [InlineData("""{"status":"ok"}""", "answer: id is required")]
    [InlineData("""{"id":"1","status":"ok","extra":1}""", "answer: extra: unknown field; expected one of id, status, message, content")]
    [InlineData("""{"id":"1","status":"ok","content":{"type":"workers","workers":[{"id":"x","pid":1,"state":"running"}]}}""", "answer: content.workers[0].id: expected a number (32-bit integer), got string")]
    [InlineData("""{"id":"1","status":"ok","content":{"type":"listeners","listeners":[{"listener":{"address":"a"},"active":true}]}}""", "answer: content.listeners[0].listener.protocol is required (one of \"http\", \"https\", \"tcp\")")]
    public void TryParseAnswer_BadLine_NamesTheFieldAndWhatWasExpected(string line, string expected)
    {
        Assert.False(CommandJson.TryParseAnswer(System.Text.Encoding.UTF8.GetBytes(line), out var answer, out var error));
        Assert.Null(answer);
        Assert.Equal(expected, error);
    }
}
