using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Serialization;

/// <summary>
/// Hyperion builds objects by setting their fields, never through constructors or factories,
/// so a peer can send a <see cref="StringMap"/> with unsorted or duplicate keys or a
/// <see cref="ValueList{T}"/> with holes, which the rest of the process would trust. After
/// every deserialization the message graph is walked, and the first collection whose
/// invariants are broken is reported with its path; the message is then refused as a whole.
/// Only fields that can lead to such a collection are visited (computed once per type), so a
/// message of strings and numbers costs one dictionary lookup per object.
/// </summary>
internal static class WireInvariants
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> Fields = new();

    /// <summary>The first broken invariant as "path: what", or null when the message is sound.</summary>
    public static string? FindViolation(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Visit(message, message.GetType().Name, depth: 0);
    }

    private static string? Visit(object? value, string path, int depth)
    {
        if (value is null)
        {
            return null;
        }
        // The allow-list admits data records only; this bounds a hostile nesting all the same.
        if (depth > 64)
        {
            return $"{path}: nested deeper than 64 levels";
        }
        if (value is IInvariantChecked checkedCollection && checkedCollection.FindViolation() is { } violation)
        {
            return $"{path}: {violation}";
        }
        if (value is StringMap)
        {
            return null;
        }
        if (value is IEnumerable items and (IInvariantChecked or Array))
        {
            var index = 0;
            foreach (var item in items)
            {
                if (item is not null && Walkable(item.GetType()) && Visit(item, $"{path}[{index}]", depth + 1) is { } inner)
                {
                    return inner;
                }
                index++;
            }
            return null;
        }
        foreach (var field in FieldsOf(value.GetType()))
        {
            if (Visit(field.GetValue(value), path + "." + Name(field), depth + 1) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }

    private static FieldInfo[] FieldsOf(Type type) => Fields.GetOrAdd(type, static t =>
    {
        var fields = new List<FieldInfo>();
        for (var current = t; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (Walkable(field.FieldType))
                {
                    fields.Add(field);
                }
            }
        }
        return [.. fields];
    });

    /// <summary>Strings, numbers and enums hold no collection; anything else might (records, lists, interfaces).</summary>
    private static bool Walkable(Type type) =>
        !(type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
          || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid)
          || typeof(Akka.Actor.IActorRef).IsAssignableFrom(type));

    /// <summary>A record property's backing field "&lt;Name&gt;k__BackingField" reads as "Name".</summary>
    private static string Name(FieldInfo field)
    {
        var name = field.Name;
        return name.StartsWith('<') && name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end ? name[1..end] : name;
    }
}
