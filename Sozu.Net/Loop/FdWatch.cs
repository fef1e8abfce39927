namespace Sozu.Net.Loop;

/// <summary>An fd the owner asked the loop to watch (an actor's mailbox eventfd); the callback drains it.</summary>
internal sealed class FdWatch(Action<int> onReadable, int fd) : IReadyHandler
{
    public int Fd { get; } = fd;

    public ulong Token { get; set; }

    public void OnReady(uint events) => onReadable(Fd);
}
