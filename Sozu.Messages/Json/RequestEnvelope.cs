using Sozu.Messages.Requests;

namespace Sozu.Messages.Json;

/// <summary>One line of the command socket: the client's correlation id and its typed request.</summary>
public sealed record RequestEnvelope(string Id, Request Request);
