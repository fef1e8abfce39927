namespace Sozu.Messages.Requests;

public sealed record SaveState(string Path) : Request;

public sealed record LoadState(string Path) : Request;

/// <summary>Re-reads the TOML file (null: the one given at start) and applies only the difference.</summary>
public sealed record ReloadConfiguration(string? Path = null) : Request;
