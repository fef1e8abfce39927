using Akka.Actor;

namespace Sozu.Actors.Remoting;

/// <summary>
/// A process telling its peer on another slot which actor to talk to (a worker introducing
/// its WorkerActor to the supervisor, or the reverse). The actor reference travels as its path
/// and is resolved again on arrival, so the receiver can Watch it.
/// </summary>
public sealed record PeerAnnouncement(string Role, int Slot, IActorRef Actor) : ISozuActorMessage;
