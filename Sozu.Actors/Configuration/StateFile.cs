using System.Globalization;
using System.Text;
using Sozu.Messages.Collections;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.Configuration;

/// <summary>
/// A saved state: one request per line, in the command socket's own JSON, in an order that
/// rebuilds the state from empty (ConfigState.ToRequests). So a saved file can also be replayed
/// by hand through socat.
///
/// A state holds every certificate's private key: the file is created with mode 0600 (owner
/// only; the mode is given to open(2), never set afterwards, so no reader ever sees it wider),
/// whatever the umask, and renamed over the old one, which takes the old file's mode with it.
///
/// An empty state is saved as one blank line, never as an empty file: a zero-byte file is what a
/// crash or a full disk leaves behind, and loading it as "no routing" would be a silent outage.
/// </summary>
public static class StateFile
{
    /// <summary>rw------- : the only mode a file holding private keys is created with.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes the whole file next to <paramref name="path"/>, then renames it over: a reader never sees half a state.</summary>
    /// <returns>How many requests were written.</returns>
    public static int Save(string path, ConfigState state)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(state);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("a state file is created with Unix permissions (0600)");
        }
        var fullPath = Path.GetFullPath(path);
        var temporary = fullPath + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var requests = state.ToRequests();
        try
        {
            // A temporary file left by a crash keeps its mode on open: start from none.
            File.Delete(temporary);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 64 * 1024,
                UnixCreateMode = OwnerOnly,
            };
            using (var file = new FileStream(temporary, options))
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    var id = "SAVE-" + i.ToString(CultureInfo.InvariantCulture);
                    file.Write(CommandJson.SerializeRequest(new RequestEnvelope(id, requests[i])));
                    file.WriteByte((byte)'\n');
                }
                if (requests.Count == 0)
                {
                    file.WriteByte((byte)'\n');
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        return requests.Count;
    }

    /// <summary>Reads every request of a saved state; the first bad line fails the whole file (nothing half-loaded).</summary>
    public static StateFileRead Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var requests = new List<ConfigRequest>();
        try
        {
            // Truncated by a crash or a full disk: an empty state is saved as a blank line, not as nothing.
            if (new FileInfo(path).Length == 0)
            {
                return StateFileRead.Failed($"{path}: the file is empty (truncated?); a saved empty state holds one blank line");
            }
            using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, 64 * 1024);
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                // Sōzu separated saved requests with "\n\0"; accept its files' separators as blank.
                var trimmed = line.Trim().Trim('\0');
                if (trimmed.Length == 0)
                {
                    continue;
                }
                if (!CommandJson.TryParseRequest(Encoding.UTF8.GetBytes(trimmed), out var envelope, out var error))
                {
                    return StateFileRead.Failed(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: {error}"));
                }
                if (envelope.Request is not ConfigRequest change)
                {
                    return StateFileRead.Failed(string.Create(CultureInfo.InvariantCulture,
                        $"{path}:{number}: {RequestNames.Of(envelope.Request)} is not a configuration request"));
                }
                requests.Add(change);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StateFileRead.Failed($"{path}: {e.Message}");
        }
        return new StateFileRead(ValueList<ConfigRequest>.From(requests), null);
    }

    /// <summary>
    /// What loading <paramref name="requests"/> on top of <paramref name="current"/> gives: each
    /// applied in order; those already true skipped; those refused skipped and counted, as Sōzu's
    /// load does (a state file may overlap the configuration file it was saved under).
    /// </summary>
    public static StateFileTarget ApplyOnto(ConfigState current, IReadOnlyList<ConfigRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(requests);
        var state = current;
        var refused = 0;
        string? firstRefusal = null;
        // What the current state would itself save: those requests are already true, not refusals.
        var present = new HashSet<ConfigRequest>(current.ToRequests());
        for (var i = 0; i < requests.Count; i++)
        {
            var result = state.Apply(requests[i]);
            if (result.IsOk)
            {
                state = result.State;
            }
            else if (!present.Contains(requests[i]))
            {
                refused++;
                firstRefusal ??= $"{RequestNames.Of(requests[i])}: {result.Error}";
            }
        }
        return new StateFileTarget(state, refused, firstRefusal);
    }
}

/// <summary>The requests of a state file, or why it could not be read.</summary>
public sealed record StateFileRead(ValueList<ConfigRequest> Requests, string? Error)
{
    public bool IsOk => Error is null;

    public static StateFileRead Failed(string error) => new(ValueList<ConfigRequest>.Empty, error);
}

/// <summary>The state a load aims at, and how many of the file's requests were refused on the way.</summary>
public sealed record StateFileTarget(ConfigState State, int Refused, string? FirstRefusal);
