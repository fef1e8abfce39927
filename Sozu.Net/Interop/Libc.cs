namespace Sozu.Net.Interop;

/// <summary>
/// The libc calls the data plane makes, one declaration per file (Libc.*.cs). Linux only:
/// the constants below are the x86-64 / arm64 Linux values.
/// </summary>
internal static partial class Libc
{
    internal const string Name = "libc";

    internal const int AfInet = 2;
    internal const int AfInet6 = 10;
    internal const int SockStream = 1;
    internal const int SockNonBlock = 0x800;
    internal const int SockCloExec = 0x80000;

    internal const int SolSocket = 1;
    internal const int SoReuseAddr = 2;
    internal const int SoError = 4;
    internal const int SoReusePort = 15;
    internal const int IpProtoTcp = 6;
    internal const int TcpNoDelay = 1;
    internal const int TcpNotSentLowat = 25;

    internal const int MsgPeek = 0x2;
    internal const int MsgNoSignal = 0x4000;
    internal const int ShutRead = 0;
    internal const int ShutWrite = 1;

    internal const int FGetFl = 3;
    internal const int FSetFl = 4;
    internal const int FDupFdCloExec = 1030;
    internal const int ONonBlock = 0x800;

    internal const int ProtReadWrite = 0x1 | 0x2;
    internal const int MapPrivate = 0x02;
    internal const int MapAnonymous = 0x20;
    internal const int MapNoReserve = 0x4000;
    internal const int MadvDontNeed = 4;

    internal const int EfdNonBlock = 0x800;
    internal const int EfdCloExec = 0x80000;
    internal const int EpollCloExec = 0x80000;
}
