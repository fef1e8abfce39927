using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Logging;

/// <summary>log_target through the real `sozu start`: the supervisor and its workers log to the same place.</summary>
public sealed class LogTargetEndToEndTests
{
    [Fact]
    public async Task FileLogTarget_ReceivesTheSupervisorsAndEveryWorkersLines()
    {
        using var host = new SozuHost { WorkerCount = 2 };
        var file = Path.Combine(host.Directory, "sozu.log");
        host.ExtraGlobal = $"log_target = \"file://{file}\"";
        host.WriteConfig();
        await host.StartAsync();

        // Whole lines: three processes append to the file, none overwrites another's line.
        var started = new System.Text.RegularExpressions.Regex(
            @"^\d\d:\d\d:\d\d\.\d{3} INF worker (?<id>\d) worker \k<id> \(pid \d+\) started on slot \d+\r?$",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var text = "";
        var workers = new HashSet<string>(StringComparer.Ordinal);
        while (DateTime.UtcNow < deadline)
        {
            text = Read(file);
            workers = [.. started.Matches(text).Select(m => m.Groups["id"].Value)];
            if (workers.Count == 2 && text.Contains("supervisor pid", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.Contains("supervisor pid", text, StringComparison.Ordinal);
        Assert.Equal(["0", "1"], workers.Order());
    }

    private static string Read(string file)
    {
        if (!File.Exists(file))
        {
            return "";
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
