using System.Text;
using Sozu.Messages.Events;
using Sozu.Messages.Json;
using Xunit;

namespace Sozu.Messages.Tests.Json;

public class EventJsonTests
{
    [Fact]
    public void Samples_CoverEveryEventKind()
    {
        Assert.Equal(Enum.GetValues<EventKind>(), JsonSamples.Events.Select(e => e.Kind).Distinct().Order());
    }

    [Fact]
    public void SerializeEvent_ThenParse_GivesAnEqualEvent_ForEveryKind()
    {
        foreach (var value in JsonSamples.Events)
        {
            var line = CommandJson.SerializeEvent(value);

            Assert.True(CommandJson.TryParseEvent(line, out var back, out var error), error + " in " + Encoding.UTF8.GetString(line));
            Assert.Equal(value, back);
        }
    }

    [Fact]
    public void SerializeEvent_BackendDown_HasTheShapeOfSpecSection4()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeEvent(JsonSamples.BackendDown));

        Assert.Equal("""{"type":"event","kind":"backend_down","cluster_id":"app","backend_id":"app-0","address":"127.0.0.1:9001"}""", line);
    }

    [Fact]
    public void TryParseEvent_AnAnswerLine_IsRefused()
    {
        Assert.False(CommandJson.TryParseEvent("""{"type":"answer","kind":"backend_up"}"""u8, out var value, out var error));
        Assert.Null(value);
        Assert.Equal("event: type: expected \"event\", got \"answer\"", error);
    }

    [Fact]
    public void TryParseEvent_UnknownKind_NamesTheField()
    {
        Assert.False(CommandJson.TryParseEvent("""{"type":"event","kind":"backend_sideways"}"""u8, out _, out var error));
        Assert.StartsWith("event: kind: expected one of \"backend_down\", \"backend_up\",", error, StringComparison.Ordinal);
    }
}
