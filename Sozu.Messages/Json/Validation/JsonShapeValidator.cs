using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sozu.Messages.Collections;

namespace Sozu.Messages.Json.Validation;

/// <summary>
/// Checks a parsed JSON value against the source-generated contract of a type before it is
/// deserialized, so that an operator gets "data.weight: expected an integer, got string"
/// rather than a serializer's message about System.Int32. The contract (names, required,
/// nullable) comes from <see cref="SozuJsonOptions"/>: one source of truth for both.
/// </summary>
internal static class JsonShapeValidator
{
    /// <summary>Returns null when the value fits, else the first problem, naming its path.</summary>
    public static string? Validate(JsonElement value, Type type, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return value.ValueKind == JsonValueKind.Null ? null : Validate(value, underlying, path);
        }
        if (type == typeof(string))
        {
            return Expect(value, JsonValueKind.String, "a string", path);
        }
        if (type == typeof(bool))
        {
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Mismatch("true or false", value, path);
        }
        if (type == typeof(int))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : Mismatch("a number (32-bit integer)", value, path);
        }
        if (type == typeof(long))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : Mismatch("a number (64-bit integer)", value, path);
        }
        if (type == typeof(ulong))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out _) ? null : Mismatch("a number (non-negative integer)", value, path);
        }
        if (type.IsEnum)
        {
            return ValidateEnum(value, type, path);
        }
        if (type == typeof(StringMap))
        {
            return ValidateStringMap(value, path);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueList<>))
        {
            return ValidateList(value, type.GetGenericArguments()[0], path);
        }
        var typeInfo = SozuJsonOptions.Options.GetTypeInfo(type);
        if (typeInfo.PolymorphismOptions is { } polymorphism)
        {
            return ValidatePolymorphic(value, polymorphism, path);
        }
        return typeInfo.Kind == JsonTypeInfoKind.Object ? ValidateObject(value, typeInfo, path, discriminator: null) : null;
    }

    /// <summary>An answer content or a listener: the discriminator picks the shape the rest must have.</summary>
    private static string? ValidatePolymorphic(JsonElement value, JsonPolymorphismOptions polymorphism, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Mismatch("an object", value, path);
        }
        var key = polymorphism.TypeDiscriminatorPropertyName;
        var accepted = new string[polymorphism.DerivedTypes.Count];
        for (var i = 0; i < accepted.Length; i++)
        {
            accepted[i] = (string)polymorphism.DerivedTypes[i].TypeDiscriminator!;
        }
        var keyPath = Join(path, key);
        if (!value.TryGetProperty(key, out var discriminator))
        {
            return $"{keyPath} is required (one of {Quoted(accepted)})";
        }
        if (discriminator.ValueKind != JsonValueKind.String)
        {
            return Mismatch("one of " + Quoted(accepted), discriminator, keyPath);
        }
        var name = discriminator.GetString();
        for (var i = 0; i < accepted.Length; i++)
        {
            if (string.Equals(accepted[i], name, StringComparison.Ordinal))
            {
                var derived = SozuJsonOptions.Options.GetTypeInfo(polymorphism.DerivedTypes[i].DerivedType);
                return ValidateObject(value, derived, path, key);
            }
        }
        return $"{keyPath}: expected one of {Quoted(accepted)}, got \"{name}\"";
    }

    private static string? ValidateObject(JsonElement value, JsonTypeInfo typeInfo, string path, string? discriminator)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Mismatch("an object", value, path);
        }
        var properties = typeInfo.Properties;
        var seen = new bool[properties.Count];
        var discriminatorSeen = false;
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = Join(path, member.Name);
            if (discriminator is not null && string.Equals(member.Name, discriminator, StringComparison.Ordinal))
            {
                if (discriminatorSeen)
                {
                    return $"{memberPath}: appears twice";
                }
                discriminatorSeen = true;
                continue;
            }
            var index = IndexOf(properties, member.Name);
            if (index < 0)
            {
                return UnknownField(member.Name, properties, memberPath);
            }
            if (seen[index])
            {
                return $"{memberPath}: appears twice";
            }
            seen[index] = true;
            var property = properties[index];
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                if (!AllowsNull(property))
                {
                    return $"{memberPath}: expected {Describe(property.PropertyType)}, got null";
                }
                continue;
            }
            var error = Validate(member.Value, property.PropertyType, memberPath);
            if (error is not null)
            {
                return error;
            }
        }
        for (var i = 0; i < properties.Count; i++)
        {
            if (!seen[i] && IsRequired(properties[i]))
            {
                return $"{Join(path, properties[i].Name)} is required";
            }
        }
        return null;
    }

    private static string? ValidateList(JsonElement value, Type elementType, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Mismatch($"an array of {Describe(elementType)}", value, path);
        }
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{index}]";
            var error = item.ValueKind == JsonValueKind.Null
                ? $"{itemPath}: expected {Describe(elementType)}, got null"
                : Validate(item, elementType, itemPath);
            if (error is not null)
            {
                return error;
            }
            index++;
        }
        return null;
    }

    private static string? ValidateStringMap(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Mismatch("an object of strings", value, path);
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = Join(path, member.Name);
            if (!keys.Add(member.Name))
            {
                return $"{memberPath}: appears twice";
            }
            var error = Expect(member.Value, JsonValueKind.String, "a string", memberPath);
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static string? ValidateEnum(JsonElement value, Type enumType, string path)
    {
        var accepted = EnumWireNames.Of(enumType);
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString();
            foreach (var name in accepted)
            {
                if (string.Equals(name, text, StringComparison.Ordinal))
                {
                    return null;
                }
            }
            return $"{path}: expected one of {Quoted(accepted)}, got \"{text}\"";
        }
        return Mismatch("one of " + Quoted(accepted), value, path);
    }

    private static string UnknownField(string name, IList<JsonPropertyInfo> properties, string path)
    {
        var known = new string[properties.Count];
        for (var i = 0; i < known.Length; i++)
        {
            known[i] = properties[i].Name;
        }
        var close = NameSuggestions.Closest(name, known);
        var hint = close.Count > 0 ? $" (did you mean {string.Join(" or ", close)}?)" : "";
        var expected = known.Length == 0 ? "this request has no fields" : "expected one of " + string.Join(", ", known);
        return $"{path}: unknown field{hint}; {expected}";
    }

    private static int IndexOf(IList<JsonPropertyInfo> properties, string name)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            if (string.Equals(properties[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired
        || property.AssociatedParameter is { HasDefaultValue: false, IsMemberInitializer: false };

    private static bool AllowsNull(JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (property.AssociatedParameter?.IsNullable ?? property.IsSetNullable);

    private static string? Expect(JsonElement value, JsonValueKind kind, string description, string path) =>
        value.ValueKind == kind ? null : Mismatch(description, value, path);

    private static string Mismatch(string expected, JsonElement value, string path) =>
        $"{path}: expected {expected}, got {KindName(value)}";

    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }
        if (type == typeof(bool))
        {
            return "true or false";
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(ulong))
        {
            return "an integer";
        }
        if (type.IsEnum)
        {
            return "one of " + Quoted(EnumWireNames.Of(type));
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueList<>))
        {
            return "an array";
        }
        return "an object";
    }

    private static string Quoted(IReadOnlyList<string> names) => "\"" + string.Join("\", \"", names) + "\"";
}
