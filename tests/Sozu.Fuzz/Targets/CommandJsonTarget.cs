using Sozu.Messages.Json;

namespace Sozu.Fuzz.Targets;

/// <summary>The command socket's request reader (<see cref="CommandJson.TryParseRequest(ReadOnlySpan{byte}, out RequestEnvelope?, out string?, out string?)"/>) on one line.</summary>
public sealed class CommandJsonTarget : FuzzTarget
{
    public override string Name => "command-json";

    public override string Checks =>
        "never throws for any line; a request xor a non-empty error; the id it reports is the envelope's; an accepted request "
        + "serializes, parses back equal and serializes to the same bytes (no half-read message)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var parsed = CommandJson.TryParseRequest(input, out var envelope, out var error, out var id);
        if (!parsed)
        {
            Invariant.That(envelope is null && !string.IsNullOrEmpty(error), "a refused line has an error message and no request");
            return;
        }
        Invariant.That(envelope is not null && error is null, "an accepted line has a request and no error");
        Invariant.That(string.Equals(id, envelope!.Id, StringComparison.Ordinal), "the id reported is the envelope's");

        var line = CommandJson.SerializeRequest(envelope);
        if (!CommandJson.TryParseRequest(line, out var again, out var againError))
        {
            Invariant.Fail($"an accepted request does not parse back once serialized: {againError}");
        }
        Invariant.That(again == envelope, "an accepted request parses back equal to itself");
        Invariant.That(CommandJson.SerializeRequest(again!).AsSpan().SequenceEqual(line), "serializing is a fixpoint");
    }
}
