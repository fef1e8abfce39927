using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sozu.Messages.Toml;

namespace Sozu.Benchmarks.Toml;

/// <summary>
/// How long `start`, `reload` and `config check` spend reading the file: a small file, and one
/// with 1 000 clusters (a fleet's worth), each with a frontend and two backends.
/// Measured (--job short, 2 shared cores, noisy): small 0.58 ms / 50 KB allocated; 1 000 clusters
/// (238 KB of TOML) 0.49 s / 32 MB. About half is Tomlyn's validating syntax pass, kept because
/// it is what reports every syntax error and every redefined key with its line.
/// </summary>
[MemoryDiagnoser]
public class ConfigFileLoaderBenchmarks
{
    private string _small = "";
    private string _large = "";

    [GlobalSetup]
    public void Setup()
    {
        _small = """
            worker_count = 2
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            [clusters.app]
            protocol = "http"
            frontends = [ { address = "127.0.0.1:8080", hostname = "*" } ]
            backends = [ { address = "127.0.0.1:9001" } ]
            """;
        var large = new StringBuilder("[[listeners]]\nprotocol = \"http\"\naddress = \"127.0.0.1:8080\"\n");
        for (var i = 0; i < 1000; i++)
        {
            large.Append(CultureInfo.InvariantCulture, $"""

                [clusters.app{i}]
                protocol = "http"
                load_balancing = "ROUND_ROBIN"
                frontends = [ {"{"} address = "127.0.0.1:8080", hostname = "app{i}.example.com", path = "/api" {"}"} ]
                backends = [ {"{"} address = "10.0.{i / 250}.{i % 250 + 1}:80" {"}"}, {"{"} address = "10.1.{i / 250}.{i % 250 + 1}:80" {"}"} ]

                """);
        }
        _large = large.ToString();
    }

    [Benchmark(Baseline = true)]
    public LoadResult Small() => ConfigFileLoader.Parse(_small, "/tmp/bench/config.toml");

    [Benchmark]
    public LoadResult ThousandClusters() => ConfigFileLoader.Parse(_large, "/tmp/bench/config.toml");
}
