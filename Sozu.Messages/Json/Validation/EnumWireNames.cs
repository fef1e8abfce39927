using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sozu.Messages.Json.Validation;

/// <summary>
/// The strings an enum accepts on the wire, computed with the same rule as
/// <see cref="Converters.SnakeCaseEnumConverter{TEnum}"/>, so an error can list them.
/// </summary>
internal static class EnumWireNames
{
    private static readonly ConcurrentDictionary<Type, string[]> Cache = new();

    public static IReadOnlyList<string> Of(Type enumType) => Cache.GetOrAdd(enumType, Compute);

    private static string[] Compute(Type enumType)
    {
        var fields = enumType.GetFields(BindingFlags.Public | BindingFlags.Static);
        var names = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            names[i] = fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(fields[i].Name);
        }
        return names;
    }
}
