using System.Text;
using System.Text.RegularExpressions;
using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>One frontend's path and method conditions, prepared for matching on request bytes.</summary>
internal sealed class RouteRule
{
    /// <summary>
    /// Bounds a regex match. Regexes run on the non-backtracking engine (linear time, like the
    /// automata-based engine Sōzu uses), so this is a second fence, not the only one.
    /// </summary>
    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly byte[] _pathBytes;
    private readonly byte[]? _method;
    private readonly Regex? _regex;

    public RouteRule(HttpFrontend frontend)
    {
        Frontend = frontend;
        Target = new RouteTarget(frontend);
        Kind = frontend.Path.Kind;
        Path = frontend.Path.Value;
        _pathBytes = Encoding.ASCII.GetBytes(Path);
        _method = string.IsNullOrEmpty(frontend.Method) ? null : Encoding.ASCII.GetBytes(frontend.Method);
        if (Kind == PathRuleKind.Regex)
        {
            try
            {
                // Anchored at both ends, as Sōzu does, so "/api" never matches "/x/api/y".
                _regex = new Regex(@"\A(?:" + Path + @")\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"frontend {frontend.Hostname}: invalid path regex '{Path}': {e.Message}", nameof(frontend), e);
            }
        }
    }

    public HttpFrontend Frontend { get; }

    public RouteTarget Target { get; }

    public PathRuleKind Kind { get; }

    public string Path { get; }

    public int PrefixLength => _pathBytes.Length;

    public bool HasMethod => _method is not null;

    public bool MatchesMethod(ReadOnlySpan<byte> method) => _method is null || method.SequenceEqual(_method);

    /// <summary>Whether this rule matches the path, given both as bytes and as decoded ASCII chars.</summary>
    public bool MatchesPath(ReadOnlySpan<byte> path, ReadOnlySpan<char> pathChars) => Kind switch
    {
        PathRuleKind.Prefix => path.StartsWith(_pathBytes),
        PathRuleKind.Exact => path.SequenceEqual(_pathBytes),
        _ => MatchesRegex(pathChars),
    };

    private bool MatchesRegex(ReadOnlySpan<char> pathChars)
    {
        try
        {
            return _regex!.IsMatch(pathChars);
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // a pathological path does not get routed by this rule
        }
    }

    /// <summary>Same conditions (host aside): two such frontends cannot coexist.</summary>
    public bool SameConditions(HttpFrontend other) =>
        other.Path == Frontend.Path
        && string.Equals(other.Method ?? "", Frontend.Method ?? "", StringComparison.Ordinal)
        && other.Position == Frontend.Position;
}
