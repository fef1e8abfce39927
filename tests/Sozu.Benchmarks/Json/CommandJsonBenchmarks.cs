using BenchmarkDotNet.Attributes;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;

namespace Sozu.Benchmarks.Json;

/// <summary>
/// The command path, not the data plane: a state load replays thousands of these lines, so
/// the cost per line bounds how fast a large configuration loads.
/// </summary>
[MemoryDiagnoser]
public class CommandJsonBenchmarks
{
    private static readonly byte[] AddBackendLine =
        """{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"app-0","address":"127.0.0.1:9001","weight":100}}"""u8.ToArray();

    private static readonly byte[] AddHttpFrontendLine =
        """{"id":"3","type":"add_http_frontend","data":{"cluster_id":"app","address":"127.0.0.1:8080","hostname":"app.example.com","path":{"kind":"prefix","value":"/"},"tags":{"owner":"a"}}}"""u8.ToArray();

    private static readonly RequestEnvelope AddBackendEnvelope =
        new("2", new AddBackend(new Backend { ClusterId = "app", BackendId = "app-0", Address = "127.0.0.1:9001" }));

    private static readonly Answer WorkersAnswer =
        Answer.Ok("9", new WorkersContent(ValueList<WorkerInfo>.Of(new WorkerInfo(0, 1234, "running"), new WorkerInfo(1, 1235, "running"))));

    [Benchmark]
    public RequestEnvelope ParseAddBackend() =>
        CommandJson.TryParseRequest(AddBackendLine, out var envelope, out var error) ? envelope! : throw new InvalidOperationException(error);

    [Benchmark]
    public RequestEnvelope ParseAddHttpFrontend() =>
        CommandJson.TryParseRequest(AddHttpFrontendLine, out var envelope, out var error) ? envelope! : throw new InvalidOperationException(error);

    [Benchmark]
    public byte[] SerializeAddBackend() => CommandJson.SerializeRequest(AddBackendEnvelope);

    [Benchmark]
    public byte[] SerializeWorkersAnswer() => CommandJson.SerializeAnswer(WorkersAnswer);
}
