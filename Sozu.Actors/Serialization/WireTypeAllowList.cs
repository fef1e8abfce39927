using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection.Metadata;
using Hyperion;
using Sozu.Messages;

namespace Sozu.Actors.Serialization;

/// <summary>
/// Decides, from a type name alone and before any type is loaded, whether Hyperion may
/// serialize or instantiate it. A name passes only if every type it mentions (generic
/// arguments and array elements included) passes:
/// <list type="bullet">
/// <item>any type of Sozu.Messages (a leaf assembly holding nothing but data records);</item>
/// <item>a type of Sozu.Actors that is an <see cref="ISozuActorMessage"/>, or the actor-ref surrogate;</item>
/// <item>one of a few plain value types of System.Private.CoreLib (<see cref="CoreLibTypes"/>).</item>
/// </list>
/// Hyperion 0.12.2's own TypeFilterBuilder cannot be used: it compares short names with the
/// full assembly-qualified names the serializing side asks about, so every Serialize fails.
/// </summary>
internal sealed class WireTypeAllowList : ITypeFilter
{
    public static readonly WireTypeAllowList Instance = new();

    private const string CoreLib = "System.Private.CoreLib";

    /// <summary>Hyperion writes the core library as "System.Private.CoreLib,%core%".</summary>
    private const string HyperionCoreMarker = ",%core%";

    private static readonly string MessagesAssembly = typeof(ISozuMessage).Assembly.GetName().Name!;
    private static readonly string ActorsAssembly = typeof(ISozuActorMessage).Assembly.GetName().Name!;

    /// <summary>
    /// Everything the records hold from the core library: primitives, a few value types,
    /// <see cref="Nullable{T}"/> and <see cref="KeyValuePair{TKey,TValue}"/> (inside StringMap).
    /// <see cref="object"/> is harmless by itself; what an object-typed slot holds is checked by name.
    /// </summary>
    internal static readonly FrozenSet<string> CoreLibTypes = FrozenSet.ToFrozenSet(
    [
        "System.Object", "System.String", "System.Boolean", "System.Char",
        "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
        "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
        "System.TimeSpan", "System.DateTime", "System.DateTimeOffset", "System.Guid",
        "System.Nullable`1", "System.Collections.Generic.KeyValuePair`2",
    ], StringComparer.Ordinal);

    /// <summary>Only allowed names are remembered, so a peer sending junk names cannot grow it.</summary>
    private readonly ConcurrentDictionary<string, byte> _allowed = new(StringComparer.Ordinal);

    private WireTypeAllowList()
    {
    }

    public bool IsAllowed(string typeName)
    {
        if (_allowed.ContainsKey(typeName))
        {
            return true;
        }
        if (Explain(typeName) is not null)
        {
            return false;
        }
        _allowed.TryAdd(typeName, 0);
        return true;
    }

    /// <summary>The reason a name is refused, for error messages; null when it is allowed.</summary>
    public static string? Explain(string typeName)
    {
        if (!TypeName.TryParse(typeName.Replace(HyperionCoreMarker, string.Empty, StringComparison.Ordinal), out var parsed))
        {
            return $"'{typeName}' is not a well-formed type name";
        }
        return Explain(parsed);
    }

    private static string? Explain(TypeName name)
    {
        if (name.IsArray || name.IsPointer || name.IsByRef)
        {
            return name.IsArray ? Explain(name.GetElementType()) : $"'{name.FullName}' is a pointer or by-ref type";
        }
        if (name.IsConstructedGenericType)
        {
            var definition = Explain(name.GetGenericTypeDefinition());
            if (definition is not null)
            {
                return definition;
            }
            foreach (var argument in name.GetGenericArguments())
            {
                var reason = Explain(argument);
                if (reason is not null)
                {
                    return reason;
                }
            }
            return null;
        }
        var assembly = name.AssemblyName?.Name;
        if (assembly is null)
        {
            return $"'{name.FullName}' does not name its assembly";
        }
        if (string.Equals(assembly, MessagesAssembly, StringComparison.Ordinal))
        {
            return null;
        }
        if (string.Equals(assembly, ActorsAssembly, StringComparison.Ordinal))
        {
            return IsActorsWireType(name.FullName)
                ? null
                : $"'{name.FullName}' is in {ActorsAssembly} but is not an {nameof(ISozuActorMessage)}";
        }
        if (string.Equals(assembly, CoreLib, StringComparison.Ordinal))
        {
            return CoreLibTypes.Contains(name.FullName)
                ? null
                : $"'{name.FullName}' is not one of the core-library types allowed on the wire";
        }
        return $"'{name.FullName}' is in assembly '{assembly}', which is not on the wire allow-list";
    }

    private static bool IsActorsWireType(string fullName)
    {
        // Sozu.Actors is already loaded; looking a type up in it runs no code of that type.
        var type = typeof(ISozuActorMessage).Assembly.GetType(fullName, throwOnError: false);
        return type is not null
            && (type == typeof(ActorRefSurrogate) || (!type.IsInterface && type.IsAssignableTo(typeof(ISozuActorMessage))));
    }
}
