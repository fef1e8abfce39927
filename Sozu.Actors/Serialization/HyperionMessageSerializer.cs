using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Hyperion;
using Hyperion.Internal;
using Sozu.Actors.Hocon;
using Sozu.Messages;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace Sozu.Actors.Serialization;

/// <summary>
/// The wire format of every <see cref="ISozuMessage"/> and <see cref="ISozuActorMessage"/>
/// between supervisor and workers: Akka.Serialization.Hyperion's serializer, locked down. Its
/// settings (HOCON <c>akka.actor.serialization-settings.hyperion-sozu</c>) get our type filter
/// (<see cref="WireTypeAllowList"/>: anything else is refused by name, before its type is
/// loaded) and our actor-ref surrogate. On top of it: only our messages are written, and on
/// arrival a message must be one of ours and its collections must hold the invariants their
/// factories guarantee (<see cref="WireInvariants"/>), or it is refused whole with a
/// <see cref="SerializationException"/> that says why; the actor never sees it.
/// Messages must be acyclic data records: with preserve-object-references off (the reference
/// configuration), a cyclic graph overflows the stack of the sending process.
/// </summary>
/// <remarks>
/// The filter and surrogate are given to the base constructor, not through a
/// <c>HyperionSerializerSetup</c> in the ActorSystem's setup: Akka.Serialization.Hyperion 1.5.75
/// applies that setup to its public <c>Settings</c> field only, and builds the Hyperion serializer
/// from its constructor argument, so a setup's type filter never reaches the wire (read in the
/// 1.5.75 assembly; <c>HyperionMessageSerializerTests</c> pins it).
/// </remarks>
public sealed class HyperionMessageSerializer : HyperionSerializer
{
    /// <summary>Must be the same on every node; Akka reserves 0–40 and uses some ids above.</summary>
    public const int SerializerIdentifier = 4711;

    /// <summary>The serializer's name in <c>akka.actor.serializers</c>.</summary>
    public const string Name = "hyperion-sozu";

    /// <summary>Where Akka finds the settings it passes to <see cref="HyperionMessageSerializer(ExtendedActorSystem, Config)"/>.</summary>
    public const string SettingsPath = "akka.actor.serialization-settings." + Name;

    /// <summary>Used when the system's configuration has no <see cref="SettingsPath"/>: the reference one.</summary>
    public HyperionMessageSerializer(ExtendedActorSystem system)
        : this(system, SettingsOf(system))
    {
    }

    /// <summary>Called by Akka with the <see cref="SettingsPath"/> section.</summary>
    public HyperionMessageSerializer(ExtendedActorSystem system, Config config)
        : base(system, Locked(system, config))
    {
    }

    public override int Identifier => SerializerIdentifier;

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not (ISozuMessage or ISozuActorMessage))
        {
            throw new SerializationException(
                $"{obj.GetType().FullName} is neither an {nameof(ISozuMessage)} nor an {nameof(ISozuActorMessage)}; it cannot go on the wire.");
        }
        try
        {
            return base.ToBinary(obj);
        }
        catch (EvilDeserializationException e)
        {
            throw Refused("serialize", e);
        }
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        object message;
        try
        {
            message = base.FromBinary(bytes, type);
        }
        catch (SerializationException e) when (Evil(e) is { } evil)
        {
            // Hyperion wraps a refusal deep inside an object in its own exception, and the base
            // class wraps that again: the reason is the allow-list's, by name.
            throw Refused("deserialize", evil);
        }
        catch (SerializationException e)
        {
            // A truncated or corrupt payload surfaces as anything from IndexOutOfRange to
            // InvalidCast inside Hyperion; the base class makes it one kind of failure.
            throw new SerializationException($"Cannot deserialize a {bytes.Length}-byte Sozu message: {e.InnerException?.Message ?? e.Message}", e);
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

    private static Config SettingsOf(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var own = system.Settings.Config.GetConfig(SettingsPath);
        return own.IsNullOrEmpty() ? SozuHocon.Reference.GetConfig(SettingsPath) : own;
    }

    /// <summary>The HOCON settings, with what only code can give: the type filter and the actor-ref surrogate.</summary>
    private static HyperionSerializerSettings Locked(ExtendedActorSystem system, Config config)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(config);
        if (config.GetStringList("allowed-types").Count > 0 || config.GetStringList("surrogates").Count > 0)
        {
            // Either would be replaced below without a word: refuse it instead.
            throw new ConfigurationException(
                $"{SettingsPath}: allowed-types and surrogates are set in code (WireTypeAllowList, the actor-ref surrogate); leave them empty.");
        }
        var actorRefs = Surrogate.Create<IActorRef, ActorRefSurrogate>(
            actorRef => new ActorRefSurrogate(AkkaSerialization.SerializedActorPath(actorRef)),
            surrogate => system.Provider.ResolveActorRef(surrogate.Path));
        return HyperionSerializerSettings.Create(config)
            .WithSurrogates([actorRefs])
            .WithTypeFilter(WireTypeAllowList.Instance);
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
