using Akka.Event;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Worker;

namespace Sozu.Actors.Workers;

/// <summary>
/// The data plane's per-connection refusals as DEBUG lines of the worker's log: an operator who
/// sees proxy_header_failures grow turns on debug (set_logging) and reads which client sent
/// what. At info and above nothing is formatted (the loop checks <see cref="IsEnabled"/> first).
/// </summary>
/// <param name="log">The actor's current adapter: set_logging replaces it (an adapter keeps the level it was made with).</param>
internal sealed class DebugLogDiagnostics(Func<ILoggingAdapter> log, int workerId) : IConnectionDiagnostics
{
    public bool IsEnabled => log().IsDebugEnabled;

    public void ProxyHeaderRefused(in ProxyHeaderRefusal refusal) => log().Debug("worker {0}: {1}", workerId, refusal.ToString());
}
