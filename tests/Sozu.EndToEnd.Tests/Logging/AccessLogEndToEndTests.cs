using System.Text.RegularExpressions;
using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Logging;

/// <summary>access_logs_target through the real `sozu start`: every worker process writes the access log.</summary>
public sealed partial class AccessLogEndToEndTests
{
    [Fact]
    public async Task NRequests_WriteNAccessLines_WithSozusFields_FromEveryWorker()
    {
        const int N = 24;
        using var backend = new TestBackend("logged-backend");
        using var host = new SozuHost { WorkerCount = 2 };
        var file = Path.Combine(host.Directory, "access.log");
        host.ExtraGlobal = $"access_logs_target = \"file://{file}\"";
        host.WriteConfig($$"""
            [clusters.logged]
            protocol = "http"
            frontends = [{ address = "127.0.0.1:{{host.ListenerPort}}", hostname = "logged.local" }]
            backends = [{ address = "{{backend.Address}}", backend_id = "logged-0" }]
            """);
        await host.StartAsync();

        // One connection per request, so the kernel spreads them over both workers' listeners.
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(200, (await HttpConnection.GetOnceAsync(host.ListenerPort, "logged.local", $"/item/{i}?q=1")).Status);
        }

        var lines = await WaitForLinesAsync(file, N, TimeSpan.FromSeconds(20));
        Assert.Equal(N, lines.Count);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var match = AccessLine().Match(line);
            Assert.True(match.Success, "not an access line: " + line);
            Assert.Equal(backend.Address, match.Groups["backend"].Value);
            Assert.Equal("logged", match.Groups["cluster"].Value);
            Assert.Equal("logged-0", match.Groups["backendId"].Value);
            Assert.Equal("GET", match.Groups["method"].Value);
            Assert.Equal("logged.local", match.Groups["host"].Value);
            Assert.Equal("200", match.Groups["status"].Value);
            Assert.Equal($"127.0.0.1:{host.ListenerPort}", match.Groups["listener"].Value);
            Assert.True(long.Parse(match.Groups["in"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, line);
            Assert.True(long.Parse(match.Groups["out"].Value, System.Globalization.CultureInfo.InvariantCulture) > "logged-backend".Length, line);
            Assert.True(DateTimeOffset.TryParse(match.Groups["start"].Value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _), line);
            paths.Add(match.Groups["path"].Value);
        }
        // Each request once: no line lost or written twice by the two processes sharing the file.
        Assert.Equal(N, paths.Count);
        Assert.Contains("/item/0?q=1", paths);
    }

    /// <summary>Until the file holds at least <paramref name="count"/> lines, then a little longer to catch extras (bounded).</summary>
    private static async Task<List<string>> WaitForLinesAsync(string file, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<string> lines = [];
        while (DateTime.UtcNow < deadline)
        {
            lines = ReadLines(file);
            if (lines.Count >= count)
            {
                break;
            }
            await Task.Delay(200);
        }
        await Task.Delay(1500);
        return ReadLines(file);
    }

    private static List<string> ReadLines(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [GeneratedRegex(@"^\S+ (?<client>127\.0\.0\.1:\d+) -> (?<backend>\S+) (?<cluster>[^/\s]+)/(?<backendId>\S+) (?<method>[A-Z]+) (?<host>[^/\s]+)(?<path>/\S*) (?<status>\d{3}) start=(?<start>\S+) (?<time>\d+)ms in=(?<in>\d+) out=(?<out>\d+) (?<listener>\S+) http$")]
    private static partial Regex AccessLine();
}
