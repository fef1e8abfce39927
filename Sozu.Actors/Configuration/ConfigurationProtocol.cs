using Akka.Actor;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Asks the ConfigurationActor (at <see cref="ConfigurationProtocol.ActorName"/> under /user) to
/// execute <paramref name="Request"/>. The actor replies to the sender with
/// <see cref="Sozu.Messages.Answers.Answer"/> messages carrying <paramref name="Id"/>: any number
/// of Processing, then exactly one Ok or Error. Requests from one sender are answered in order.
/// </summary>
public sealed record ExecuteRequest(string Id, Request Request) : ISozuActorMessage;

/// <summary>In-process only: asks for the committed state; the answer is <see cref="CurrentState"/>.</summary>
public sealed record GetState
{
    public static readonly GetState Instance = new();
}

/// <summary>
/// In-process only (a ConfigState does not travel): the state every worker has confirmed, and
/// the session-ticket keys every worker seals with (null from an actor that holds none).
/// </summary>
public sealed record CurrentState(ConfigState State, SessionTicketKeys? TicketKeys = null);

public static class ConfigurationProtocol
{
    /// <summary>The ConfigurationActor's name under /user.</summary>
    public const string ActorName = "configuration";

    /// <summary>Its path inside the supervisor's system.</summary>
    public const string ActorPath = "/user/" + ActorName;

    /// <summary>The address of the ConfigurationActor of the supervisor reached over the Unix-domain transport.</summary>
    public static string RemotePath(string systemName = "sozu") =>
        $"akka.unix://{systemName}@supervisor:{Hocon.SozuHocon.SupervisorSlot}{ActorPath}";

    public static ActorSelection Select(ActorSystem system, string systemName = "sozu")
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.ActorSelection(RemotePath(systemName));
    }
}
