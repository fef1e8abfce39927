using Sozu.Messages.Config;

namespace Sozu.Messages.Requests;

public sealed record AddHttpFrontend(HttpFrontend Frontend) : ConfigRequest;

public sealed record RemoveHttpFrontend(HttpFrontend Frontend) : ConfigRequest;

public sealed record AddHttpsFrontend(HttpFrontend Frontend) : ConfigRequest;

public sealed record RemoveHttpsFrontend(HttpFrontend Frontend) : ConfigRequest;

public sealed record AddTcpFrontend(TcpFrontend Frontend) : ConfigRequest;

public sealed record RemoveTcpFrontend(TcpFrontend Frontend) : ConfigRequest;
