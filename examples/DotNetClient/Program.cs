using Sozu.Actors.Client;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

// Adds a cluster, a backend and a frontend to a running `sozu start`, over the supervisor's
// Unix-domain Akka transport. Usage: DotNetClient <socket-dir> [listener-address] [backend-address]
// <socket-dir> is the sozu-<uid> directory next to the command socket.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: DotNetClient SOCKET_DIR [LISTENER 127.0.0.1:8080] [BACKEND 127.0.0.1:9001]");
    return 2;
}
var listener = args.Length > 1 ? args[1] : "127.0.0.1:8080";
var backend = args.Length > 2 ? args[2] : "127.0.0.1:9001";

await using var client = await SozuClient.ConnectAsync(args[0]);
Request[] requests =
[
    new AddCluster(new Cluster { ClusterId = "dotnet" }),
    new AddBackend(new Backend { ClusterId = "dotnet", BackendId = "dotnet-0", Address = backend }),
    new AddHttpFrontend(new HttpFrontend { ClusterId = "dotnet", Address = listener, Hostname = "dotnet.example.com" }),
];
foreach (var request in requests)
{
    await foreach (var answer in client.StreamAsync(request))
    {
        Console.WriteLine($"{request.GetType().Name}: {answer.Status} {answer.Message}");
        if (answer.Status == AnswerStatus.Error)
        {
            return 1;
        }
    }
}
var workers = await client.SendAsync(new ListWorkers());
if (workers.Content is WorkersContent list)
{
    foreach (var worker in list.Workers)
    {
        Console.WriteLine($"worker {worker.Id}: pid {worker.Pid}, {worker.State}");
    }
}
return 0;
