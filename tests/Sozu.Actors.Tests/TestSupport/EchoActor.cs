using Akka.Actor;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.TestSupport;

/// <summary>Answers a WorkerRequest for a frontend with that frontend, so both directions carry real records.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor(int workerId)
    {
        Receive<WorkerRequest>(request =>
        {
            var frontends = request.Request is AddHttpFrontend add ? ValueList<HttpFrontend>.Of(add.Frontend) : ValueList<HttpFrontend>.Empty;
            Sender.Tell(new WorkerResponse(request.Id, workerId, AnswerStatus.Ok, request.Request.GetType().Name,
                new FrontendsContent(frontends, ValueList<HttpFrontend>.Empty, ValueList<TcpFrontend>.Empty)));
        });
    }

    public static WorkerResponse ExpectedAnswer(WorkerRequest request, int workerId) =>
        new(request.Id, workerId, AnswerStatus.Ok, request.Request.GetType().Name,
            new FrontendsContent(
                request.Request is AddHttpFrontend add ? ValueList<HttpFrontend>.Of(add.Frontend) : ValueList<HttpFrontend>.Empty,
                ValueList<HttpFrontend>.Empty,
                ValueList<TcpFrontend>.Empty));
}
