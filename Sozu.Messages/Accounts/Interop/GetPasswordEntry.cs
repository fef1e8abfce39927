using System.Runtime.InteropServices;

namespace Sozu.Messages.Accounts.Interop;

internal static partial class GetPasswordEntry
{
    /// <summary>int getpwnam_r(const char *name, struct passwd *pwd, char *buf, size_t buflen, struct passwd **result).</summary>
    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Call(string name, byte* entry, byte* buffer, nuint bufferLength, byte** result);
}
