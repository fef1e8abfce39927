using System.Runtime.InteropServices;

namespace Sozu.Messages.Accounts.Interop;

internal static partial class GetGroupEntry
{
    /// <summary>int getgrnam_r(const char *name, struct group *grp, char *buf, size_t buflen, struct group **result).</summary>
    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Call(string name, byte* entry, byte* buffer, nuint bufferLength, byte** result);
}
