using System.Runtime.InteropServices;

namespace Sozu.Actors.Supervision.Interop;

/// <summary>pidfd_open(2) and poll(2): a descriptor that becomes readable when a process exits, for any process, not only our children.</summary>
internal static partial class PidFd
{
    private const long SysPidFdOpen = 434; // the same number on x86_64 and aarch64
    private const long SysPidFdSendSignal = 424; // the same number on x86_64 and aarch64
    private const int SigKill = 9;
    private const short PollIn = 0x1;

    /// <summary>A pidfd for <paramref name="pid"/>; -1 when it cannot be had (ESRCH: already gone).</summary>
    public static int Open(int pid) => (int)Syscall(SysPidFdOpen, pid, 0);

    /// <summary>True once the process behind <paramref name="pidFd"/> has exited; false when the wait timed out.</summary>
    public static unsafe bool WaitForExit(int pidFd, int timeoutMs)
    {
        var entry = new PollEntry { Fd = pidFd, Events = PollIn };
        var ready = Poll(&entry, 1, timeoutMs);
        // An error (EINTR aside) leaves us unable to watch: report nothing, the caller times out again.
        return ready > 0 && (entry.Revents & PollIn) != 0;
    }

    /// <summary>SIGKILL to the process behind <paramref name="pidFd"/>: never to another that reused its pid.</summary>
    public static bool Kill(int pidFd) => SyscallSignal(SysPidFdSendSignal, pidFd, SigKill, 0, 0) == 0;

    public static void Close(int fd) => _ = CloseFd(fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallSignal(long number, int pidFd, int signal, nint info, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollEntry* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);
}
