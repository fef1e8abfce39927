using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Client;

/// <summary>
/// A .NET program's connection to a running supervisor: its own small ActorSystem on a client
/// slot of the supervisor's socket directory (so only the proxy's user can connect), sending
/// requests as typed messages to the ConfigurationActor and reading the typed answers.
/// <code>
/// await using var client = await SozuClient.ConnectAsync("/run/sozu/sozu-1000");
/// var answer = await client.SendAsync(new AddBackend(...));
/// </code>
/// </summary>
public sealed class SozuClient : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _configuration;
    private readonly TimeSpan _timeout;
    private long _sequence;

    private SozuClient(ActorSystem system, IActorRef configuration, TimeSpan timeout)
    {
        _system = system;
        _configuration = configuration;
        _timeout = timeout;
    }

    /// <summary>The client's own address (akka.unix://…@client:&lt;slot&gt;).</summary>
    public string Address => ((ExtendedActorSystem)_system).Provider.DefaultAddress.ToString();

    /// <summary>
    /// Connects to the supervisor whose Akka sockets are in <paramref name="socketDirectory"/>
    /// (`sozu-&lt;uid&gt;` next to its command socket). <paramref name="slot"/>: the client's slot
    /// (1000..65535); null picks a random free one.
    /// </summary>
    public static async Task<SozuClient> ConnectAsync(string socketDirectory, int? slot = null, TimeSpan? timeout = null, string systemName = "sozu")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketDirectory);
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var attempts = slot is null ? 5 : 1;
        Exception? last = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var chosen = slot ?? Random.Shared.Next(1000, 30000);
            ActorSystem? system = null;
            try
            {
                system = ActorSystem.Create("sozu-client", ClientConfig(Path.GetFullPath(socketDirectory), chosen));
                var configuration = await ConfigurationProtocol.Select(system, systemName).ResolveOne(limit).ConfigureAwait(false);
                return new SozuClient(system, configuration, limit);
            }
            catch (Exception e) when (e is ActorNotFoundException or ConfigurationException or InvalidOperationException or TimeoutException)
            {
                last = e;
                if (system is not null)
                {
                    await system.Terminate().ConfigureAwait(false);
                }
                if (e is ActorNotFoundException)
                {
                    break; // the supervisor is not there: another slot will not help
                }
            }
        }
        throw new InvalidOperationException($"cannot reach the sozu supervisor through {socketDirectory}: {last?.Message}", last);
    }

    /// <summary>Sends <paramref name="request"/> and returns its final answer (Ok or Error).</summary>
    public async Task<Answer> SendAsync(Request request, CancellationToken cancellation = default)
    {
        Answer? final = null;
        await foreach (var answer in StreamAsync(request, cancellation).ConfigureAwait(false))
        {
            final = answer;
        }
        return final ?? throw new InvalidOperationException("the supervisor closed the request without an answer");
    }

    /// <summary>Every answer to <paramref name="request"/>: Processing…, then the final Ok or Error.</summary>
    public async IAsyncEnumerable<Answer> StreamAsync(Request request, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = "client-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        var answers = Channel.CreateUnbounded<Answer>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var receiver = _system.ActorOf(Akka.Actor.Props.Create(() => new AnswerReceiver(answers.Writer, _timeout)));
        try
        {
            _configuration.Tell(new ExecuteRequest(id, request), receiver);
            await foreach (var answer in answers.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                yield return answer;
            }
        }
        finally
        {
            _system.Stop(receiver);
        }
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().ConfigureAwait(false);

    /// <summary>
    /// The client's differences from the reference configuration (serializer, transport and
    /// failure detector come from there): its own slot, warnings only, and Akka's stdout logger,
    /// since a program embedding the client has no Serilog logger of ours.
    /// </summary>
    private static Config ClientConfig(string socketDirectory, int slot)
    {
        var hocon = $$"""
            akka {
              loggers = ["Akka.Event.DefaultLogger"]
              loglevel = WARNING
              stdout-loglevel = WARNING
              remote.unix-domain-socket {
                socket-dir = "{{socketDirectory.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}}"
                hostname = "client"
                port = {{slot.ToString(CultureInfo.InvariantCulture)}}
                backlog = 16
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(SozuHocon.Reference);
    }

    /// <summary>Collects the answers of one request into a channel; completes it on the final one or on timeout.</summary>
    private sealed class AnswerReceiver : ReceiveActor
    {
        public AnswerReceiver(ChannelWriter<Answer> writer, TimeSpan timeout)
        {
            Context.SetReceiveTimeout(timeout);
            Receive<Answer>(answer =>
            {
                writer.TryWrite(answer);
                if (answer.Status != AnswerStatus.Processing)
                {
                    writer.TryComplete();
                    Context.Stop(Self);
                }
            });
            Receive<ReceiveTimeout>(_ =>
            {
                writer.TryWrite(Answer.Error("", $"no answer from the supervisor within {timeout.TotalSeconds:0.#} s"));
                writer.TryComplete();
                Context.Stop(Self);
            });
        }
    }
}
