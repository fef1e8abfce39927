namespace Sozu.Net.Http1.Proxying;

internal enum HttpPhase : byte
{
    /// <summary>Between requests, or reading a request head.</summary>
    RequestHead,

    /// <summary>The head is parsed and edited; a backend connection is being opened.</summary>
    Connecting,

    /// <summary>Request and response flowing (they overlap: a backend may answer before the body ends).</summary>
    Exchange,

    /// <summary>Sending one of the proxy's own answers, then closing.</summary>
    Answer,

    /// <summary>Answer sent and write side shut; discarding what the client still sends until it closes.</summary>
    Linger,
}
