namespace Sozu.Messages.Requests;

/// <summary>Everything a client can ask of the proxy (SPEC §4). Sealed records below.</summary>
public abstract record Request : ISozuMessage;

/// <summary>
/// A request that changes the routing configuration: validated against and applied to
/// <c>ConfigState</c>, then sent to every worker.
/// </summary>
public abstract record ConfigRequest : Request;
