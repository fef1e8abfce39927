using Sozu.Messages.Answers;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Workers;

/// <summary>A request sent by the supervisor to one worker, tagged so the answer can be matched.</summary>
public sealed record WorkerRequest(string Id, Request Request) : ISozuMessage;

public sealed record WorkerResponse(string Id, int WorkerId, AnswerStatus Status, string Message = "", AnswerContent? Content = null) : ISozuMessage;
