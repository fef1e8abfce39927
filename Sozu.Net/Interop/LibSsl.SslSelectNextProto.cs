using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_select_next_proto")]
    internal static unsafe partial int SslSelectNextProto(byte** selected, byte* selectedLength, byte* server, uint serverLength, byte* client, uint clientLength);
}
