using Sozu.Actors.Configuration;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Actors.Tests.Configuration;

public sealed class StateFileTests : IDisposable
{
    private readonly string _directory = Path.Combine("/tmp", "sozu-sf-" + Guid.NewGuid().ToString("N")[..10]);

    public StateFileTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void SaveThenLoad_RebuildsTheSameState()
    {
        var state = Sample(clusters: 50);
        var path = Path.Combine(_directory, "state.json");
        var written = StateFile.Save(path, state);
        var read = StateFile.Load(path);
        Assert.True(read.IsOk, read.Error);
        Assert.Equal(written, read.Requests.Count);
        Assert.Equal(state, ConfigState.Empty.ApplyAll(read.Requests).State);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp-*"));
    }

    /// <summary>A state holds private keys: created owner-only (the process umask would give 0644), over an old world-readable file and a stale temporary one alike.</summary>
    [Fact]
    public void Save_CreatesTheFileOwnerOnly_EvenOverAWorldReadableOne()
    {
        var path = Path.Combine(_directory, "state.json");
        File.WriteAllText(path, "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        var temporary = Path.GetFullPath(path) + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temporary, "left by a crash");
        File.SetUnixFileMode(temporary, (UnixFileMode)0b110_110_110);

        StateFile.Save(path, Sample(clusters: 1));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(StateFile.Load(path).IsOk);
        Assert.False(File.Exists(temporary));
    }

    [Fact]
    public void SaveOfTheEmptyState_WritesABlankLine_ThatLoadsAsNoRequests()
    {
        var path = Path.Combine(_directory, "empty.json");
        Assert.Equal(0, StateFile.Save(path, ConfigState.Empty));
        Assert.Equal("\n", File.ReadAllText(path));
        var read = StateFile.Load(path);
        Assert.True(read.IsOk, read.Error);
        Assert.Empty(read.Requests);
    }

    [Fact]
    public void Load_OfAZeroByteFile_IsRefusedAsTruncated()
    {
        var path = Path.Combine(_directory, "truncated.json");
        File.WriteAllBytes(path, []);
        var read = StateFile.Load(path);
        Assert.False(read.IsOk);
        Assert.Contains("empty", read.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheLineOfABadRequest_AndReturnsNothing()
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllLines(path,
        [
            """{"id":"1","type":"add_cluster","data":{"cluster_id":"a"}}""",
            """{"id":"2","type":"add_backend","data":{"cluster_id":"a"}}""",
        ]);
        var read = StateFile.Load(path);
        Assert.False(read.IsOk);
        Assert.Contains(":2:", read.Error, StringComparison.Ordinal);
        Assert.Empty(read.Requests);
    }

    [Fact]
    public void Load_RefusesRequestsThatAreNotConfigurationChanges()
    {
        var path = Path.Combine(_directory, "query.json");
        File.WriteAllText(path, """{"id":"1","type":"status"}""" + "\n");
        Assert.Contains("not a configuration request", StateFile.Load(path).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyOnto_SkipsWhatIsAlreadyTrue_AndCountsRealRefusals()
    {
        var current = Sample(clusters: 2);
        ConfigRequest[] requests =
        [
            .. current.ToRequests(),
            new AddCluster(new Cluster { ClusterId = "new" }),
            new AddBackend(new Backend { ClusterId = "missing", BackendId = "b", Address = "127.0.0.1:1" }),
        ];
        var target = StateFile.ApplyOnto(current, requests);
        Assert.Equal(1, target.Refused);
        Assert.Contains("missing", target.FirstRefusal, StringComparison.Ordinal);
        Assert.Equal(current.ClusterCount + 1, target.State.ClusterCount);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static ConfigState Sample(int clusters, int frontendsPerCluster = 1)
    {
        var requests = new List<ConfigRequest>
        {
            new AddHttpListener(new HttpListenerConfig { Address = "127.0.0.1:8080" }),
        };
        for (var i = 0; i < clusters; i++)
        {
            var id = "c" + i;
            requests.Add(new AddCluster(new Cluster { ClusterId = id }));
            requests.Add(new AddBackend(new Backend { ClusterId = id, BackendId = id + "-0", Address = "127.0.0.1:9000" }));
            for (var f = 0; f < frontendsPerCluster; f++)
            {
                requests.Add(new AddHttpFrontend(new HttpFrontend { ClusterId = id, Address = "127.0.0.1:8080", Hostname = $"h{f}.{id}.example.com" }));
            }
        }
        var result = ConfigState.Empty.ApplyAll(requests);
        Assert.True(result.IsOk, result.Error);
        return result.State;
    }
}
