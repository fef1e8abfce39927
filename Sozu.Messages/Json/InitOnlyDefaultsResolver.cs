using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sozu.Messages.Json;

/// <summary>
/// Keeps the property initializers of init-only members when a field is left out of the JSON.
/// The source generator builds such types through one object initializer that assigns every
/// init-only member, so a missing "weight" became 0 instead of 100 and a missing "tags" null
/// (dotnet/runtime#84484, open in .NET 10). For those types this resolver rebuilds the contract
/// from the generated one, with the same names, getters, converters and required flags, but
/// constructed by the parameterless constructor (initializers run) and only present members
/// assigned. Setting an init-only member at run time needs reflection; this is the command
/// path, not the data plane.
/// </summary>
internal sealed class InitOnlyDefaultsResolver(IJsonTypeInfoResolver generated) : IJsonTypeInfoResolver
{
    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        var info = generated.GetTypeInfo(type, options);
        if (info is null || info.Kind != JsonTypeInfoKind.Object || info.PolymorphismOptions is not null || !HasInitOnlyMembers(info))
        {
            return info;
        }
        var constructor = type.GetConstructor(Type.EmptyTypes);
        if (constructor is null)
        {
            return info;
        }
        var rebuilt = JsonTypeInfo.CreateJsonTypeInfo(type, options);
        rebuilt.CreateObject = () => constructor.Invoke(null);
        rebuilt.UnmappedMemberHandling = info.UnmappedMemberHandling;
        foreach (var property in info.Properties)
        {
            var copy = rebuilt.CreateJsonPropertyInfo(property.PropertyType, property.Name);
            copy.Get = property.Get;
            copy.Set = SetterOf(property);
            copy.IsRequired = property.IsRequired;
            copy.IsGetNullable = property.IsGetNullable;
            copy.IsSetNullable = property.AssociatedParameter?.IsNullable ?? property.IsSetNullable;
            copy.CustomConverter = property.CustomConverter;
            copy.ShouldSerialize = property.ShouldSerialize;
            copy.Order = property.Order;
            copy.AttributeProvider = property.AttributeProvider;
            rebuilt.Properties.Add(copy);
        }
        return rebuilt;
    }

    private static bool HasInitOnlyMembers(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is { IsMemberInitializer: true })
            {
                return true;
            }
        }
        return false;
    }

    private static Action<object, object?>? SetterOf(JsonPropertyInfo property)
    {
        if (property.AssociatedParameter is not { IsMemberInitializer: true })
        {
            return property.Set;
        }
        var member = (PropertyInfo)property.AttributeProvider!;
        return member.SetValue;
    }
}
