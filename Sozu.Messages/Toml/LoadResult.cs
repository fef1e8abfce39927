using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Toml;

/// <summary>What loading a configuration file gives: a <see cref="LoadedConfig"/> or a <see cref="LoadFailed"/>.</summary>
public abstract record LoadResult;

/// <summary>
/// A configuration file turned into process settings and the requests that build its routing
/// state. <see cref="Requests"/> are ordered so that applying them one by one to an empty state
/// succeeds: listeners, clusters, backends, certificates, frontends, activations.
/// </summary>
public sealed record LoadedConfig(GlobalConfig Global, ValueList<ConfigRequest> Requests, string SourcePath) : LoadResult
{
    /// <summary>Things that load but deserve an operator's eye: keys kept for Sōzu compatibility that do nothing yet, implicit listeners.</summary>
    public ValueList<ConfigError> Warnings { get; init; } = ValueList<ConfigError>.Empty;
}

/// <summary>Every error found in the file (not just the first), in file order.</summary>
public sealed record LoadFailed(ValueList<ConfigError> Errors) : LoadResult;
