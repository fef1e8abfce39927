using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sozu.EndToEnd.Tests.Support;
using Sozu.EndToEnd.Tests.Tls;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Xunit.Abstractions;

namespace Sozu.EndToEnd.Tests.Secrets;

/// <summary>
/// `sozu start` as root with `user = "nobody"`, `group = "nogroup"`: the supervisor opens the
/// listening sockets (one on a port below 1024) and reads the certificate's key (a root-only
/// file) before switching; then it and every worker run as nobody, and still serve.
/// </summary>
public sealed class PrivilegeDropEndToEndTests(ITestOutputHelper output)
{
    private const uint Nobody = 65534;

    [RootFact(Timeout = 180_000)]
    public async Task StartedAsRoot_SupervisorAndWorkersRunAsTheUser_AndServeAPrivilegedPort()
    {
        var openssl = ExternalTool.Find("/usr/bin/openssl") ?? throw new InvalidOperationException("openssl is not installed: run scripts/setup.sh");
        using var backend = new TestBackend("unprivileged");
        using var host = new SozuHost { WorkerCount = 2, ExtraGlobal = "user = \"nobody\"\ngroup = \"nogroup\"" };
        var privileged = FreePrivilegedPort();
        var https = FreePort.Tcp();
        var (certificate, key) = TestCertificate.Write(host.Directory);
        // Root-only: only a process that reads it before switching can serve it.
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        host.WriteConfig($$"""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:{{privileged}}"

            [[listeners]]
            protocol = "https"
            address = "127.0.0.1:{{https}}"
            certificate = "{{certificate}}"
            key = "{{key}}"

            [clusters.app]
            protocol = "http"
            frontends = [
                { address = "127.0.0.1:{{privileged}}", hostname = "localhost" },
                { address = "127.0.0.1:{{https}}", hostname = "localhost" },
            ]
            backends = [ { address = "{{backend.Address}}", backend_id = "app-0" } ]
            """);
        // The operator's part: the command socket's directory is writable by the user.
        Chown(host.Directory, "nobody:nogroup");
        await host.StartAsync();

        var workers = ((WorkersContent)(await host.ExecuteAsync(new ListWorkers())).Content!).Workers.Select(w => w.Pid).ToList();
        Assert.Equal(2, workers.Count);
        foreach (var pid in (int[])[host.Pid, .. workers])
        {
            var (uids, gids, groups) = Ids(pid);
            output.WriteLine($"pid {pid}: Uid {string.Join(' ', uids)}, Gid {string.Join(' ', gids)}, Groups {string.Join(' ', groups)}");
            Assert.All(uids, uid => Assert.Equal(Nobody, uid));
            Assert.All(gids, gid => Assert.Equal(Nobody, gid));
            Assert.Equal([Nobody], groups);
        }

        var (status, body) = await HttpConnection.GetOnceAsync(privileged, "localhost");
        Assert.Equal((200, "unprivileged"), (status, body));
        var session = Path.Combine(Path.GetTempPath(), "sozu-drop-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
        try
        {
            var tls = await ResumingClient.ConnectAsync(openssl, https, session, "unprivileged", workers);
            Assert.Contains(tls.Owner, workers);
        }
        finally
        {
            File.Delete(session);
        }

        // The switched supervisor still writes its state, owner-only, as the user.
        var saved = Path.Combine(host.Directory, "state.json");
        var save = await host.ExecuteAsync(new SaveState(saved));
        Assert.True(save.Status == AnswerStatus.Ok, save.Message);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        Assert.Contains("switched to nobody (uid 65534), group nogroup (gid 65534)", host.Output, StringComparison.Ordinal);
    }

    /// <summary>Real, effective, saved and filesystem ids, and the supplementary groups, from /proc/PID/status.</summary>
    private static (uint[] Uids, uint[] Gids, uint[] Groups) Ids(int pid)
    {
        uint[] Parse(string line) => [.. line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(uint.Parse)];
        uint[] uids = [], gids = [], groups = [];
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uids = Parse(line);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gids = Parse(line);
            }
            else if (line.StartsWith("Groups:", StringComparison.Ordinal))
            {
                groups = Parse(line);
            }
        }
        Assert.Equal(4, uids.Length);
        return (uids, gids, groups);
    }

    /// <summary>A port below 1024 nothing listens on now (only root can bind it: this test runs as root).</summary>
    private static int FreePrivilegedPort()
    {
        for (var port = 700 + Random.Shared.Next(200); port < 1000; port++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free port between 700 and 1000");
    }

    private static void Chown(string path, string owner)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", [owner, path]) { UseShellExecute = false })!;
        Assert.True(chown.WaitForExit(10_000) && chown.ExitCode == 0, $"chown {owner} {path} failed");
    }
}
