using FsCheck;
using FsCheck.Xunit;
using Sozu.Messages.Json;
using Xunit;

namespace Sozu.Messages.Tests.Json;

/// <summary>Whatever arrives on the socket, parsing answers with a message, never with an exception.</summary>
public class JsonRobustnessProperties
{
    private static readonly byte[][] ValidLines =
    [
        .. JsonSamples.Requests.Values.Select(r => CommandJson.SerializeRequest(new RequestEnvelope("id", r))),
    ];

    private static readonly byte[][] ValidAnswerAndEventLines =
    [
        .. JsonSamples.Contents.Values.Select(c => CommandJson.SerializeAnswer(Messages.Answers.Answer.Ok("id", c))),
        .. JsonSamples.Events.Select(CommandJson.SerializeEvent),
    ];

    [Property(MaxTest = 500)]
    public void RandomBytes_NeverThrow_AndAreRefusedWithAMessage(byte[] bytes)
    {
        AssertWholeOrNothing(bytes);
        Assert.False(CommandJson.TryParseAnswer(bytes, out _, out var answerError) && answerError is not null);
        Assert.False(CommandJson.TryParseEvent(bytes, out _, out var eventError) && eventError is not null);
    }

    [Property(MaxTest = 1000)]
    public void MutatedValidLines_NeverThrow_AndParseWholeOrNotAtAll(NonNegativeInt lineIndex, NonNegativeInt position, byte value, byte mode)
    {
        var line = ValidLines[lineIndex.Get % ValidLines.Length];
        var mutated = Mutate(line, position.Get, value, mode);

        var parsed = AssertWholeOrNothing(mutated);

        if (parsed is not null)
        {
            // Whatever was accepted must survive its own round trip: no half-read message.
            Assert.True(CommandJson.TryParseRequest(CommandJson.SerializeRequest(parsed), out var again, out var error), error);
            Assert.Equal(parsed, again);
        }
    }

    [Property(MaxTest = 500)]
    public void MutatedAnswerAndEventLines_NeverThrow(NonNegativeInt lineIndex, NonNegativeInt position, byte value, byte mode)
    {
        var line = ValidAnswerAndEventLines[lineIndex.Get % ValidAnswerAndEventLines.Length];
        var mutated = Mutate(line, position.Get, value, mode);

        var answerParsed = CommandJson.TryParseAnswer(mutated, out var answer, out var answerError);
        var eventParsed = CommandJson.TryParseEvent(mutated, out var value2, out var eventError);

        Assert.True(answerParsed ? answer is not null && answerError is null : answer is null && !string.IsNullOrEmpty(answerError));
        Assert.True(eventParsed ? value2 is not null && eventError is null : value2 is null && !string.IsNullOrEmpty(eventError));
    }

    private static RequestEnvelope? AssertWholeOrNothing(byte[] line)
    {
        var parsed = CommandJson.TryParseRequest(line, out var envelope, out var error);
        if (parsed)
        {
            Assert.NotNull(envelope);
            Assert.Null(error);
        }
        else
        {
            Assert.Null(envelope);
            Assert.False(string.IsNullOrEmpty(error));
        }
        return envelope;
    }

    /// <summary>One of: replace a byte, cut the line, insert a byte, drop a byte.</summary>
    private static byte[] Mutate(byte[] line, int position, byte value, byte mode)
    {
        var at = position % line.Length;
        switch (mode % 4)
        {
            case 0:
                var replaced = (byte[])line.Clone();
                replaced[at] = value;
                return replaced;
            case 1:
                return line[..at];
            case 2:
                return [.. line[..at], value, .. line[at..]];
            default:
                return [.. line[..at], .. line[(at + 1)..]];
        }
    }
}
