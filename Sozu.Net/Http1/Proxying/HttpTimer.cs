namespace Sozu.Net.Http1.Proxying;

/// <summary>What the session's single timer means in each phase of an HTTP exchange.</summary>
internal enum HttpTimer
{
    /// <summary>Keep-alive wait for the next request: front_timeout, then close quietly.</summary>
    FrontIdle,

    /// <summary>A request head started but is not complete: request_timeout, then 408.</summary>
    Request,

    /// <summary>Connecting to a backend: connect_timeout, then the next backend or 502.</summary>
    Connect,

    /// <summary>Waiting on the backend (or a slow upload): back_timeout, then 504 (408 for the upload).</summary>
    Exchange,

    /// <summary>An answer went out and the write side is shut: give the client time to read it.</summary>
    Linger,
}
