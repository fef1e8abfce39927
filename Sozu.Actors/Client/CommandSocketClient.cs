using System.Net.Sockets;
using System.Text;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Client;

/// <summary>
/// A client of the JSON command socket (SPEC §4), used by the `sozu` CLI and by tests: writes
/// request lines, reads answer and event lines. Not thread-safe: one conversation at a time.
/// </summary>
public sealed class CommandSocketClient : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _nextId;

    private CommandSocketClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        // Answers are single lines up to the server's own limits; no limit is applied here.
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
    }

    /// <exception cref="SocketException">The socket does not exist or nobody listens on it.</exception>
    public static async Task<CommandSocketClient> ConnectAsync(string path, CancellationToken cancellation = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation).ConfigureAwait(false);
            return new CommandSocketClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a line as is (a newline is appended): for tools and tests that speak raw JSON.</summary>
    public async Task SendLineAsync(string line, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        await SendBytesAsync(Encoding.UTF8.GetBytes(line), cancellation).ConfigureAwait(false);
    }

    public async Task SendBytesAsync(ReadOnlyMemory<byte> line, CancellationToken cancellation = default)
    {
        await _stream.WriteAsync(line, cancellation).ConfigureAwait(false);
        await _stream.WriteAsync("\n"u8.ToArray(), cancellation).ConfigureAwait(false);
        await _stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <returns>The id the request was sent with.</returns>
    public async Task<string> SendAsync(Request request, string? id = null, CancellationToken cancellation = default)
    {
        id ??= "cli-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendBytesAsync(CommandJson.SerializeRequest(new RequestEnvelope(id, request)), cancellation).ConfigureAwait(false);
        return id;
    }

    /// <summary>The next line from the server, or null once it closed the connection.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellation = default) =>
        await _reader.ReadLineAsync(cancellation).ConfigureAwait(false);

    /// <summary>The next answer line; event lines met on the way are skipped.</summary>
    /// <exception cref="IOException">The connection closed, or the server sent something that is not an answer.</exception>
    public async Task<Answer> ReadAnswerAsync(CancellationToken cancellation = default)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellation).ConfigureAwait(false) ?? throw new IOException("the supervisor closed the command connection");
            if (IsEventLine(line))
            {
                continue;
            }
            if (!CommandJson.TryParseAnswer(Encoding.UTF8.GetBytes(line), out var answer, out var error))
            {
                throw new IOException("unreadable answer from the supervisor: " + error);
            }
            return answer;
        }
    }

    /// <summary>Sends a request and reads its answers until the final one; processing answers go to <paramref name="progress"/>.</summary>
    public async Task<Answer> ExecuteAsync(Request request, Action<Answer>? progress = null, CancellationToken cancellation = default)
    {
        var id = await SendAsync(request, cancellation: cancellation).ConfigureAwait(false);
        while (true)
        {
            var answer = await ReadAnswerAsync(cancellation).ConfigureAwait(false);
            if (!string.Equals(answer.Id, id, StringComparison.Ordinal))
            {
                continue;
            }
            if (answer.Status == AnswerStatus.Processing)
            {
                progress?.Invoke(answer);
                continue;
            }
            return answer;
        }
    }

    /// <summary>The next event line (after subscribe_events); answer lines met on the way are skipped. Null when closed.</summary>
    public async Task<(Event Event, string Line)?> ReadEventAsync(CancellationToken cancellation = default)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellation).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }
            if (IsEventLine(line) && CommandJson.TryParseEvent(Encoding.UTF8.GetBytes(line), out var value, out _))
            {
                return (value, line);
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsEventLine(string line) =>
        line.Contains("\"type\":\"event\"", StringComparison.Ordinal) && !line.Contains("\"status\":", StringComparison.Ordinal);
}
