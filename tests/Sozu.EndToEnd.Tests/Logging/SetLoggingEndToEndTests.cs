using Sozu.EndToEnd.Tests.Support;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.EndToEnd.Tests.Logging;

/// <summary>set_logging through the real `sozu start`: the workers' level moves too, and a restarted worker keeps it.</summary>
public sealed class SetLoggingEndToEndTests
{
    private const string AppliedLine = "add_cluster applied";

    [Fact]
    public async Task SetLoggingDebug_MakesTheWorkerLogDebugLines_ItDidNotLogBefore_AlsoAfterARestart()
    {
        using var host = new SozuHost();
        host.WriteConfig();
        await host.StartAsync();

        await Ok(host, new AddCluster(new Cluster { ClusterId = "at-info" }));
        await Task.Delay(1000);
        Assert.DoesNotContain(AppliedLine, host.Output, StringComparison.Ordinal);

        var (code, stdout, stderr) = host.Cli("logging", "debug");
        Assert.True(code == 0, stderr);
        Assert.Contains("1 worker", stdout, StringComparison.Ordinal);
        await Ok(host, new AddCluster(new Cluster { ClusterId = "at-debug" }));
        var line = await WaitForLineAsync(host, "at-debug");
        Assert.Contains("DBG worker 0", line, StringComparison.Ordinal);

        // A fresh worker process (started with the file's info level) is synced at the current level.
        var worker = Assert.Single(Assert.IsType<WorkersContent>((await host.ExecuteAsync(new ListWorkers())).Content).Workers);
        using (var process = System.Diagnostics.Process.GetProcessById(worker.Pid))
        {
            // The worker is a child of the supervisor this test started.
            process.Kill();
        }
        var deadline = DateTime.UtcNow + SozuHost.StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var workers = Assert.IsType<WorkersContent>((await host.ExecuteAsync(new ListWorkers())).Content).Workers;
            if (workers is [{ State: "running" } replaced] && replaced.Pid != worker.Pid)
            {
                break;
            }
            await Task.Delay(200);
        }
        await Ok(host, new AddCluster(new Cluster { ClusterId = "after-restart" }));
        await WaitForLineAsync(host, "after-restart");
    }

    private static async Task Ok(SozuHost host, Request request)
    {
        var answer = await host.ExecuteAsync(request);
        Assert.True(answer.Status == AnswerStatus.Ok, answer.Message);
    }

    /// <summary>The worker's debug line for the request naming <paramref name="marker"/>; bounded to 15 s.</summary>
    private static async Task<string> WaitForLineAsync(SozuHost host, string marker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in host.Output.Split('\n'))
            {
                if (line.Contains(AppliedLine, StringComparison.Ordinal) && line.Contains(marker, StringComparison.Ordinal))
                {
                    return line;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no debug line for {marker} within 15 s:\n{host.Output}");
    }
}
