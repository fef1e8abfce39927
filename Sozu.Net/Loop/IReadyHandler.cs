namespace Sozu.Net.Loop;

/// <summary>Whatever owns an fd registered with the loop: a listener, a socket of a session, a wake source.</summary>
internal interface IReadyHandler
{
    /// <summary>Called on the loop thread with the raw epoll event mask.</summary>
    void OnReady(uint events);
}
