namespace Sozu.Messages.Answers;

/// <summary>
/// The outcome of save_state, load_state and reload_configuration: the file, how many requests it
/// held, and how many of them changed the state (the rest were already true or were refused).
/// </summary>
public sealed record StateFileContent(string Path, int Requests, int Applied, int Refused) : AnswerContent;
