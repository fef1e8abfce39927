using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;
using Sozu.Messages.Json.Validation;
using Sozu.Messages.Json.Wire;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Json;

/// <summary>
/// The command socket's lines (SPEC §4): requests in, answers and events out. Parsing never
/// throws and never yields half a message: either the whole line is a valid typed message, or
/// the error names the field and what was expected. Serialized lines carry no trailing
/// newline; the socket adds it.
/// </summary>
public static class CommandJson
{
    private const string IdField = "id";
    private const string TypeField = "type";
    private const string DataField = "data";

    private static readonly JsonElement EmptyData = JsonDocument.Parse("{}").RootElement;

    /// <summary>The wire names of every request, as SPEC §4 lists them.</summary>
    public static IEnumerable<string> RequestTypeNames => RequestRegistry.Names;

    /// <summary>The wire name of a request ("add_backend"), or null for a type the socket does not carry.</summary>
    public static string? RequestTypeName(Type requestType) =>
        RequestRegistry.ByType.TryGetValue(requestType, out var wire) ? wire.Name : null;

    public static bool TryParseRequest(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out RequestEnvelope? envelope, [NotNullWhen(false)] out string? error) =>
        TryParseRequest(utf8Line, out envelope, out error, out _);

    /// <summary>
    /// As the other overload; <paramref name="id"/> is the line's "id" whenever it could be
    /// read, so that an error answer can still carry it.
    /// </summary>
    public static bool TryParseRequest(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out RequestEnvelope? envelope, [NotNullWhen(false)] out string? error, out string? id)
    {
        envelope = null;
        id = null;
        if (!TryParseObject(utf8Line, out var document, out error))
        {
            return false;
        }
        using (document)
        {
            // Read first, whatever else is wrong, so that the error answer can carry it.
            if (document.RootElement.TryGetProperty(IdField, out var idElement) && idElement.ValueKind == JsonValueKind.String)
            {
                id = idElement.GetString();
            }
            error = ReadEnvelope(document.RootElement, out envelope);
            return envelope is not null;
        }
    }

    public static byte[] SerializeRequest(RequestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!RequestRegistry.ByType.TryGetValue(envelope.Request.GetType(), out var wire))
        {
            throw new ArgumentException($"{envelope.Request.GetType().Name} has no JSON wire name", nameof(envelope));
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(IdField, envelope.Id);
            writer.WriteString(TypeField, wire.Name);
            writer.WritePropertyName(DataField);
            wire.WriteData(writer, envelope.Request);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] SerializeAnswer(Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return JsonSerializer.SerializeToUtf8Bytes(answer, TypeInfo<Answer>());
    }

    public static bool TryParseAnswer(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Answer? answer, [NotNullWhen(false)] out string? error) =>
        TryDeserialize(utf8Line, TypeInfo<Answer>(), "answer", out answer, out error);

    /// <summary>An event line for subscribers: {"type":"event","kind":"backend_down",…}.</summary>
    public static byte[] SerializeEvent(Event value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(EventLine.From(value), TypeInfo<EventLine>());
    }

    public static bool TryParseEvent(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Event? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (!TryDeserialize(utf8Line, TypeInfo<EventLine>(), "event", out var line, out error))
        {
            return false;
        }
        if (!string.Equals(line!.Type, EventLine.TypeValue, StringComparison.Ordinal))
        {
            error = $"event: type: expected \"{EventLine.TypeValue}\", got \"{line.Type}\"";
            return false;
        }
        value = line.ToEvent();
        return true;
    }

    private static JsonWriterOptions WriterOptions => new() { Encoder = SozuJsonOptions.Options.Encoder };

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)SozuJsonOptions.Options.GetTypeInfo(typeof(T));

    private static string? ReadEnvelope(JsonElement root, out RequestEnvelope? envelope)
    {
        string? id = null;
        envelope = null;
        string? typeName = null;
        JsonElement? data = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                return $"{member.Name}: appears twice";
            }
            switch (member.Name)
            {
                case IdField:
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        return $"id: expected a string, got {KindName(member.Value.ValueKind)}";
                    }
                    id = member.Value.GetString();
                    break;
                case TypeField:
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        return $"type: expected a string, got {KindName(member.Value.ValueKind)}";
                    }
                    typeName = member.Value.GetString();
                    break;
                case DataField:
                    data = member.Value;
                    break;
                default:
                    return $"{member.Name}: unknown field; a request has only \"id\", \"type\" and \"data\"";
            }
        }
        if (id is null)
        {
            return "\"id\" is required";
        }
        if (typeName is null)
        {
            return "\"type\" is required";
        }
        if (!RequestRegistry.ByName.TryGetValue(typeName, out var wire))
        {
            return UnknownType(typeName);
        }
        var dataElement = data is null || data.Value.ValueKind == JsonValueKind.Null ? EmptyData : data.Value;
        var shapeError = JsonShapeValidator.Validate(dataElement, wire.DataTypeInfo.Type, DataField);
        if (shapeError is not null)
        {
            return $"{wire.Name}: {shapeError}";
        }
        try
        {
            envelope = new RequestEnvelope(id, wire.Read(dataElement));
            return null;
        }
        catch (JsonException ex)
        {
            // The validator mirrors the contract; this is the net under it.
            return $"{wire.Name}: data{ex.Path?.TrimStart('$')}: {FirstSentence(ex.Message)}";
        }
        catch (NotSupportedException ex)
        {
            return $"{wire.Name}: data: {FirstSentence(ex.Message)}";
        }
    }

    private static string UnknownType(string typeName)
    {
        var close = NameSuggestions.Closest(typeName, RequestRegistry.Names);
        return close.Count > 0
            ? $"unknown type \"{typeName}\" (did you mean {string.Join(" or ", close)}?)"
            : $"unknown type \"{typeName}\"; known types: {string.Join(", ", RequestRegistry.Names)}";
    }

    private static bool TryParseObject(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        if (utf8Line.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "empty line: expected a JSON object";
            return false;
        }
        // The reader checks UTF-8 only when a string is decoded, by throwing from deep inside
        // GetString; checking the whole line first keeps that out of every later step.
        if (!Utf8.IsValid(utf8Line))
        {
            error = $"not UTF-8 at byte {FirstInvalidUtf8Byte(utf8Line)}";
            return false;
        }
        var reader = new Utf8JsonReader(utf8Line, isFinalBlock: true, state: default);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"expected a JSON object, got {reader.TokenType} at byte {reader.TokenStartIndex}";
                return false;
            }
            document = JsonDocument.ParseValue(ref reader);
            // The reader refuses a second value ("half a message" glued to another): it throws.
            reader.Read();
            var undecodable = FindUndecodableString(document.RootElement, "");
            if (undecodable is not null)
            {
                document.Dispose();
                document = null;
                error = undecodable;
                return false;
            }
        }
        catch (JsonException ex)
        {
            document?.Dispose();
            document = null;
            error = $"not JSON at byte {ex.BytePositionInLine ?? 0}: {FirstSentence(ex.Message)}";
            return false;
        }
        error = null;
        return true;
    }

    private static bool TryDeserialize<T>(ReadOnlySpan<byte> utf8Line, JsonTypeInfo<T> typeInfo, string what, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error)
        where T : class
    {
        value = null;
        if (!TryParseObject(utf8Line, out var document, out error))
        {
            return false;
        }
        using (document)
        {
            var shapeError = JsonShapeValidator.Validate(document!.RootElement, typeof(T), "");
            if (shapeError is not null)
            {
                error = $"{what}: {shapeError}";
                return false;
            }
            try
            {
                value = document.RootElement.Deserialize(typeInfo);
            }
            catch (JsonException ex)
            {
                error = $"{what}{ex.Path?.TrimStart('$')}: {FirstSentence(ex.Message)}";
                return false;
            }
            catch (NotSupportedException ex)
            {
                error = $"{what}: {FirstSentence(ex.Message)}";
                return false;
            }
        }
        if (value is null)
        {
            error = $"{what}: expected an object, got null";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The reader accepts "\ud800" (a lone surrogate) and only decoding it throws; find it
    /// once here so no later step meets the exception. Depth is bounded by the reader (64).
    /// </summary>
    private static string? FindUndecodableString(JsonElement element, string path)
    {
        const string LoneSurrogate = "invalid \\u escape (a lone UTF-16 surrogate)";
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return $"{(path.Length == 0 ? "value" : path)}: {LoneSurrogate}";
                }
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"{(path.Length == 0 ? "a field name" : path + ": a field name")}: {LoneSurrogate}";
                    }
                    var error = FindUndecodableString(member.Value, path.Length == 0 ? name : path + "." + name);
                    if (error is not null)
                    {
                        return error;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var error = FindUndecodableString(item, $"{path}[{index++}]");
                    if (error is not null)
                    {
                        return error;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static int FirstInvalidUtf8Byte(ReadOnlySpan<byte> utf8)
    {
        var position = 0;
        while (position < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[position..], out _, out var consumed) != OperationStatus.Done)
            {
                return position;
            }
            position += consumed;
        }
        return position;
    }

    /// <summary>The serializer's messages end with a path and line numbers we report ourselves.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }
        return cut < 0 ? message : message[..cut];
    }
}
