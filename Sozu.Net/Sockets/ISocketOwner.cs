namespace Sozu.Net.Sockets;

/// <summary>Whoever currently drives a socket: a session, or the idle pool for a parked backend connection.</summary>
internal interface ISocketOwner
{
    void OnSocketReady(SocketEndpoint socket);
}
