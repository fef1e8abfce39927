using Serilog.Events;

namespace Sozu.Actors.Logging;

/// <summary>
/// Akka remoting's reports of an association that ended or could not be made: each worker
/// death makes the supervisor's remoting log three to five of them at WARN/ERR, each with a
/// multi-line stack trace, though nothing is wrong beyond the death the slot supervisor
/// reports in one WARN line with its reason. <see cref="AssociationChurnDemotion"/> writes them
/// at DEBUG (stack kept there). A quarantine ("irrecoverably failed") is not churn and keeps
/// its level. Recognised on the Serilog event Akka.Logger.Serilog writes: an Akka source, and
/// a cause of these types or a message (its template is Akka's format) opening with these words.
/// </summary>
public static class AssociationChurn
{
    // Exception types of Akka.Remote 1.5 (the first two are internal, hence by name).
    private static readonly string?[] CauseTypes =
    [
        "Akka.Remote.EndpointDisassociatedException",
        "Akka.Remote.EndpointAssociationException",
        "Akka.Remote.Transport.InvalidAssociationException",
    ];

    // Message openings of Akka.Remote 1.5 (ReliableDeliverySupervisor, EndpointWriter, EndpointManager).
    private static readonly string[] Openings =
    [
        "Association with remote system ",
        "AssociationError ",
        "Tried to associate with unreachable remote address ",
        "Disassociated",
    ];

    /// <summary>Whether this log event is Akka's association churn (to be logged at DEBUG).</summary>
    public static bool Matches(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (!FromAkka(logEvent))
        {
            return false;
        }
        for (var cause = logEvent.Exception; cause is not null; cause = cause.InnerException)
        {
            if (Array.IndexOf(CauseTypes, cause.GetType().FullName) >= 0)
            {
                return true;
            }
        }
        var text = logEvent.MessageTemplate.Text;
        foreach (var opening in Openings)
        {
            if (text.StartsWith(opening, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Akka.Logger.Serilog sets SourceContext to the class that logged; Akka's own are in Akka.*.</summary>
    private static bool FromAkka(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(Serilog.Core.Constants.SourceContextPropertyName, out var source)
        && source is ScalarValue { Value: string name }
        && name.StartsWith("Akka.", StringComparison.Ordinal);
}
