namespace Sozu.Net.Interop;

internal static class EpollFlags
{
    internal const uint In = 0x001;
    internal const uint Out = 0x004;
    internal const uint Err = 0x008;
    internal const uint Hup = 0x010;
    internal const uint RdHup = 0x2000;
    internal const uint EdgeTriggered = 1u << 31;

    /// <summary>Registered once per socket and never modified (no EPOLL_CTL_MOD per request).</summary>
    internal const uint Socket = In | Out | RdHup | EdgeTriggered;

    internal const int CtlAdd = 1;
    internal const int CtlDel = 2;
}
