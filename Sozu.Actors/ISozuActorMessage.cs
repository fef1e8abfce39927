namespace Sozu.Actors;

/// <summary>
/// Marks the actor-protocol messages defined in Sozu.Actors (registration, hand-shakes between
/// supervisor and workers) that cross a process boundary. The wire serializer is bound to this
/// interface and to <see cref="Sozu.Messages.ISozuMessage"/>, and refuses every other type.
/// </summary>
#pragma warning disable CA1040 // a marker interface is the point: serialization bindings key on it
public interface ISozuActorMessage;
#pragma warning restore CA1040
