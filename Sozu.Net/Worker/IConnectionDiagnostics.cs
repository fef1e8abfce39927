using Sozu.Net.ProxyProtocol;

namespace Sozu.Net.Worker;

/// <summary>
/// Receives what an operator debugging a listener wants to see per connection and the metrics
/// only count: today, a connection refused for its PROXY header. Called on the loop thread; the
/// loop reads <see cref="IsEnabled"/> first and builds nothing when it is false, so a disabled
/// sink costs one interface call per refusal. The control plane implements it as a debug log line.
/// </summary>
public interface IConnectionDiagnostics
{
    /// <summary>Read before each report: false when the log level would drop the line anyway.</summary>
    bool IsEnabled { get; }

    void ProxyHeaderRefused(in ProxyHeaderRefusal refusal);
}
