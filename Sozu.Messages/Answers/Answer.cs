namespace Sozu.Messages.Answers;

public enum AnswerStatus
{
    Processing,
    Ok,
    Error,
}

/// <summary>
/// The reply to a request: any number of <see cref="AnswerStatus.Processing"/>, then exactly one
/// <see cref="AnswerStatus.Ok"/> or <see cref="AnswerStatus.Error"/>.
/// </summary>
public sealed record Answer(string Id, AnswerStatus Status, string Message = "", AnswerContent? Content = null) : ISozuMessage
{
    public static Answer Ok(string id, AnswerContent? content = null, string message = "") => new(id, AnswerStatus.Ok, message, content);

    public static Answer Error(string id, string message) => new(id, AnswerStatus.Error, message);

    public static Answer Processing(string id, string message = "") => new(id, AnswerStatus.Processing, message);
}
