namespace Sozu.Messages;

/// <summary>
/// Marks every type that may cross a process boundary (Akka.Remote, the JSON socket, state
/// files). The wire serializer is bound to this interface and refuses anything else.
/// </summary>
#pragma warning disable CA1040 // a marker interface is the point: serialization bindings key on it
public interface ISozuMessage;
#pragma warning restore CA1040
