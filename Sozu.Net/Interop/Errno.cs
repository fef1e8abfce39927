namespace Sozu.Net.Interop;

/// <summary>The errno values the loop reacts to (Linux).</summary>
internal static class Errno
{
    internal const int EIntr = 4;
    internal const int EAgain = 11;
    internal const int ENoMem = 12;
    internal const int EMFile = 24;
    internal const int ENFile = 23;
    internal const int EPipe = 32;
    internal const int EConnAborted = 103;
    internal const int EConnReset = 104;
    internal const int ENoBufs = 105;
    internal const int EConnRefused = 111;
    internal const int EInProgress = 115;
}
