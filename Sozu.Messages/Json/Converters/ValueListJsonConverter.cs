using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sozu.Messages.Collections;

namespace Sozu.Messages.Json.Converters;

/// <summary>
/// A <see cref="ValueList{T}"/> is a JSON array. Closed per element type in the context,
/// because the source generator would otherwise treat it as a collection it cannot build.
/// </summary>
internal sealed class ValueListJsonConverter<T> : JsonConverter<ValueList<T>>
{
    public override ValueList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, got {reader.TokenType}");
        }
        var elementInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var item = JsonSerializer.Deserialize(ref reader, elementInfo);
            // A null inside a list of non-null values would surface far away as a NullReferenceException.
            items.Add(item ?? throw new JsonException($"[{items.Count}]: null is not allowed in this list"));
        }
        return ValueList<T>.From(items);
    }

    public override void Write(Utf8JsonWriter writer, ValueList<T> value, JsonSerializerOptions options)
    {
        var elementInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value.AsSpan())
        {
            JsonSerializer.Serialize(writer, item, elementInfo);
        }
        writer.WriteEndArray();
    }
}
