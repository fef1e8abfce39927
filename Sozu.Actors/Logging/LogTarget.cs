using System.Globalization;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Sozu.Actors.Logging;

/// <summary>
/// Sōzu's log targets (<c>log_target</c>, <c>access_logs_target</c>) as Serilog sinks: "stdout",
/// "stderr", "file:///path", "udp://IP:PORT" or "unix:///path" (a datagram socket). Sōzu's
/// tcp:// is not written to yet.
/// </summary>
public static class LogTarget
{
    private const string FileScheme = "file://";

    public static bool Supports(string? target) =>
        target is "stdout" or "stderr"
        || (target is not null && target.StartsWith(FileScheme, StringComparison.Ordinal) && target.Length > FileScheme.Length)
        || (target is not null && DatagramSink.Destination(target) is not null);

    /// <summary>
    /// Why <paramref name="target"/> cannot be written to, or null: a file target is opened (and
    /// created) once, so that `sozu start` refuses an unwritable path instead of its workers
    /// failing one after another. Network and socket targets are never refused here: their
    /// receiver may come later.
    /// </summary>
    public static string? CheckWritable(string target)
    {
        if (!Supports(target))
        {
            return $"\"{target}\" is not stdout, stderr, file:///path, udp://IP:PORT or unix:///path";
        }
        if (!target.StartsWith(FileScheme, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            new AppendFileSink(target[FileScheme.Length..], new MessageTemplateTextFormatter("", CultureInfo.InvariantCulture)).Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Adds the sink of <paramref name="target"/> with <paramref name="template"/> (<see cref="Sink"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not supported.</exception>
    /// <exception cref="IOException">The file cannot be opened for appending.</exception>
    public static LoggerConfiguration WriteTo(LoggerConfiguration configuration, string target, string template)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.WriteTo.Sink(Sink(target, template));
    }

    /// <summary>
    /// The sink of <paramref name="target"/> with <paramref name="template"/>. A file is an
    /// <see cref="AppendFileSink"/>: the supervisor and every worker process append to the same
    /// file, each line whole, none overwriting another's. Dispose it (or the logger it is added to)
    /// to close it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not supported.</exception>
    /// <exception cref="IOException">The file cannot be opened for appending.</exception>
    public static ILogEventSink Sink(string target, string template)
    {
        if (!Supports(target))
        {
            throw new ArgumentException($"log target \"{target}\": expected stdout, stderr, file:///path, udp://IP:PORT or unix:///path", nameof(target));
        }
        return target switch
        {
            "stdout" => LoggerSinkConfiguration.CreateSink(writeTo => writeTo.Console(outputTemplate: template)),
            "stderr" => LoggerSinkConfiguration.CreateSink(writeTo => writeTo.Console(outputTemplate: template, standardErrorFromLevel: LogEventLevel.Verbose)),
            _ when target.StartsWith(FileScheme, StringComparison.Ordinal) =>
                new AppendFileSink(target[FileScheme.Length..], new MessageTemplateTextFormatter(template, CultureInfo.InvariantCulture)),
            _ => new DatagramSink(DatagramSink.Destination(target)!, new MessageTemplateTextFormatter(template, CultureInfo.InvariantCulture)),
        };
    }
}
