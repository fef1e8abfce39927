using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Asks the configuration actor (at /user/configuration) to run one request; it replies to the
/// sender with Answer messages: any number of Processing, then one Ok or Error.
/// </summary>
public sealed record ExecuteRequest(string Id, Request Request) : ISozuActorMessage;

public sealed record GetState : ISozuActorMessage
{
    public static readonly GetState Instance = new();
}

public sealed record CurrentState(ConfigState State) : ISozuActorMessage;
