using System.Text.Json;
using System.Text.Json.Serialization;
using Sozu.Messages.Collections;

namespace Sozu.Messages.Json.Converters;

/// <summary>A <see cref="StringMap"/> is a JSON object whose values are all strings.</summary>
internal sealed class StringMapJsonConverter : JsonConverter<StringMap>
{
    public override StringMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object, got {reader.TokenType}");
        }
        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"{key}: expected a string, got {reader.TokenType}");
            }
            pairs.Add(new(key, reader.GetString()!));
        }
        return StringMap.From(pairs);
    }

    public override void Write(Utf8JsonWriter writer, StringMap value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var pair in value)
        {
            writer.WriteString(pair.Key, pair.Value);
        }
        writer.WriteEndObject();
    }
}
