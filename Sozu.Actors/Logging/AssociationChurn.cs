namespace Sozu.Actors.Logging;

/// <summary>
/// Akka remoting's reports of an association that ended or could not be made: each worker
/// death makes the supervisor's remoting log three to five of them at WARN/ERR, each with a
/// multi-line stack trace, though nothing is wrong beyond the death the slot supervisor
/// reports in one WARN line with its reason. They are demoted to DEBUG (stack kept there).
/// A quarantine ("irrecoverably failed") is not churn and keeps its level.
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

    /// <summary>Whether this Akka log event is association churn (to be logged at DEBUG).</summary>
    public static bool Matches(Akka.Event.LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        for (var cause = logEvent.Cause; cause is not null; cause = cause.InnerException)
        {
            if (Array.IndexOf(CauseTypes, cause.GetType().FullName) >= 0)
            {
                return true;
            }
        }
        if (logEvent.Message?.ToString() is not { } text)
        {
            return false;
        }
        foreach (var opening in Openings)
        {
            if (text.StartsWith(opening, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
