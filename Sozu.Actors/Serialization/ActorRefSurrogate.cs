namespace Sozu.Actors.Serialization;

/// <summary>
/// What an <see cref="Akka.Actor.IActorRef"/> inside a message becomes on the wire: its full
/// path, including the address of the system that owns it, resolved again by the receiver.
/// A type of our own (instead of Akka's internal surrogate) keeps the Akka assembly off the
/// wire allow-list.
/// </summary>
internal sealed record ActorRefSurrogate(string Path);
