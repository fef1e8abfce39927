using Sozu.Messages.Config;

namespace Sozu.Messages.Requests;

public sealed record AddBackend(Backend Backend) : ConfigRequest;

public sealed record RemoveBackend(string ClusterId, string BackendId, string Address) : ConfigRequest;
