using System.Runtime.InteropServices;

namespace Sozu.Actors.Remoting.Interop;

/// <summary>
/// statx(2): the only way from .NET to learn who owns a directory. Chosen over stat(2)
/// because struct statx has one layout on every architecture (struct stat does not).
/// </summary>
internal static partial class Statx
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const uint MaskTypeModeUid = 0x1 | 0x2 | 0x8;

    /// <summary>sizeof(struct statx) in the kernel ABI.</summary>
    public const int BufferSize = 256;

    public const int UidOffset = 20;
    public const int ModeOffset = 28;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Call(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
