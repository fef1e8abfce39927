namespace Sozu.Net.Metrics;

/// <summary>
/// Implemented by the owner of a worker (the actor layer formats and ships the lines). Called
/// on the loop thread at the end of each request or TCP session, only when <see cref="Enabled"/>;
/// the entry's spans point into live buffers and are valid only during the call.
/// </summary>
public interface IAccessLog
{
    bool Enabled { get; }

    void Log(in AccessLogEntry entry);
}
