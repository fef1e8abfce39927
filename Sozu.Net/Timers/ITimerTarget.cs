namespace Sozu.Net.Timers;

public interface ITimerTarget
{
    /// <summary>The node's deadline passed; runs on the loop thread. The node is unlinked.</summary>
    void OnTimeout(TimerNode node, long nowMs);
}
