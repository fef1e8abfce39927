using BenchmarkDotNet.Attributes;
using Sozu.Messages.Config;
using Sozu.Net.Routing;

namespace Sozu.Benchmarks.Routing;

/// <summary>Router lookups with 100,000 frontends: the cost must not grow with the number of hosts.</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private const int Routes = 100_000;

    private readonly Router _router = new();
    private readonly byte[] _exactHost = "host77777.example.com"u8.ToArray();
    private readonly byte[] _wildcardHost = "tenant42.wild-42.example.net:8080"u8.ToArray();
    private readonly byte[] _regexHost = "regex.example.org"u8.ToArray();
    private readonly byte[] _missHost = "unknown.example.com"u8.ToArray();
    private readonly byte[] _path = "/api/v1/items/12345"u8.ToArray();
    private readonly byte[] _method = "GET"u8.ToArray();

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Routes - 1_100; i++)
        {
            _router.Add(Frontend($"host{i}.example.com", PathRule.Root, $"c{i % 500}"));
        }
        for (var i = 0; i < 1_000; i++)
        {
            _router.Add(Frontend($"*.wild-{i}.example.net", PathRule.Prefix("/api"), $"w{i}"));
        }
        for (var i = 0; i < 100; i++)
        {
            _router.Add(Frontend("regex.example.org", PathRule.Regex($"/api/v{i}/items/[0-9]+"), $"r{i}"));
        }
        if (_router.Lookup(_regexHost, _path, _method).ClusterId != "r1"
            || _router.Lookup(_wildcardHost, _path, _method).ClusterId != "w42"
            || _router.Lookup(_exactHost, _path, _method).ClusterId is null)
        {
            throw new InvalidOperationException("benchmark routes do not match");
        }
    }

    private static HttpFrontend Frontend(string host, PathRule path, string cluster) =>
        new() { Address = "0.0.0.0:80", Hostname = host, Path = path, ClusterId = cluster };

    [Benchmark]
    public RouteResult ExactHost() => _router.Lookup(_exactHost, _path, _method);

    [Benchmark]
    public RouteResult WildcardHost() => _router.Lookup(_wildcardHost, _path, _method);

    /// <summary>The second of 100 regexes on one host matches (first one is tried and fails).</summary>
    [Benchmark]
    public RouteResult RegexPath() => _router.Lookup(_regexHost, _path, _method);

    [Benchmark]
    public RouteResult NoRoute() => _router.Lookup(_missHost, _path, _method);
}
