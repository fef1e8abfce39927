namespace Sozu.Messages.Requests;

public sealed record UpgradeWorker(int WorkerId) : Request;

public sealed record UpgradeMain : Request;

/// <summary>Stop accepting, let open sessions finish, then exit.</summary>
public sealed record SoftStop : Request;

public sealed record HardStop : Request;

public sealed record SetLogging(string Level) : Request;
