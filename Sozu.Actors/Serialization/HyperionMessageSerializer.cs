using System.Runtime.Serialization;
using Akka.Actor;
using Hyperion;
using Hyperion.Internal;
using Sozu.Messages;
using AkkaSerializer = Akka.Serialization.Serializer;
using AkkaSerialization = Akka.Serialization.Serialization;
using HyperionSerializer = Hyperion.Serializer;

namespace Sozu.Actors.Serialization;

/// <summary>
/// The wire format of every <see cref="ISozuMessage"/> and <see cref="ISozuActorMessage"/>
/// between supervisor and workers: Hyperion, locked down. Only types on
/// <see cref="WireTypeAllowList"/> are written or read; anything else is refused by name,
/// before its type is loaded. Messages must be acyclic data records: object references are
/// not preserved, and a cyclic graph overflows the stack of the sending process. On arrival,
/// collections are checked against the invariants their factories guarantee
/// (<see cref="WireInvariants"/>).
/// </summary>
public sealed class HyperionMessageSerializer : AkkaSerializer
{
    /// <summary>Must be the same on every node; Akka reserves 0–40 and uses some ids above.</summary>
    public const int SerializerIdentifier = 4711;

    private readonly HyperionSerializer _hyperion;

    public HyperionMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var actorRefs = Surrogate.Create<IActorRef, ActorRefSurrogate>(
            actorRef => new ActorRefSurrogate(AkkaSerialization.SerializedActorPath(actorRef)),
            surrogate => system.Provider.ResolveActorRef(surrogate.Path));
        _hyperion = new HyperionSerializer(new SerializerOptions(
            versionTolerance: false,
            preserveObjectReferences: false,
            surrogates: [actorRefs],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: WireTypeAllowList.Instance));
    }

    public override int Identifier => SerializerIdentifier;

    /// <summary>Hyperion writes the runtime type itself; Akka need not send a manifest.</summary>
    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not (ISozuMessage or ISozuActorMessage))
        {
            throw new SerializationException(
                $"{obj.GetType().FullName} is neither an {nameof(ISozuMessage)} nor an {nameof(ISozuActorMessage)}; it cannot go on the wire.");
        }
        using var stream = new MemoryStream();
        try
        {
            _hyperion.Serialize(obj, stream);
        }
        catch (EvilDeserializationException e)
        {
            throw Refused("serialize", e);
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        object message;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            message = _hyperion.Deserialize(stream);
        }
        catch (Exception e) when (Evil(e) is { } evil)
        {
            // Hyperion wraps a refusal deep inside an object in its own SerializationException.
            throw Refused("deserialize", evil);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A truncated or corrupt payload surfaces as anything from IndexOutOfRange to
            // InvalidCast inside Hyperion; callers should see one kind of failure.
            throw new SerializationException($"Cannot deserialize a {bytes.Length}-byte Sozu message: {e.Message}", e);
        }
        if (message is not (ISozuMessage or ISozuActorMessage))
        {
            throw new SerializationException(
                $"Deserialized a {message?.GetType().FullName ?? "null"}, which is not a Sozu message.");
        }
        if (WireInvariants.FindViolation(message) is { } violation)
        {
            // Refused whole: the actor never sees it, so nothing of it is applied.
            throw new SerializationException($"Refused a {message.GetType().Name} whose collections were not built by their factories: {violation}.");
        }
        return message;
    }

    private static EvilDeserializationException? Evil(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is EvilDeserializationException evil)
            {
                return evil;
            }
        }
        return null;
    }

    private static SerializationException Refused(string operation, EvilDeserializationException e)
    {
        var reason = WireTypeAllowList.Explain(e.BadTypeString) ?? "Hyperion lists it as an unsafe type";
        return new SerializationException($"Refused to {operation} type '{e.BadTypeString}': {reason}.", e);
    }
}
