using Sozu.Messages.Config;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

/// <summary>max_incomplete_heads_per_ip: read from the file, defaulted, and refused when negative.</summary>
public sealed class IncompleteHeadsKeyTests
{
    [Fact]
    public void Key_IsRead_AndDefaultsTo64()
    {
        using var folder = new TempConfigFolder();
        var set = Assert.IsType<LoadedConfig>(ConfigFileLoader.Load(folder.Write("max_incomplete_heads_per_ip = 5\n")));
        Assert.Equal(5, set.Global.MaxIncompleteHeadsPerIp);
        var unset = Assert.IsType<LoadedConfig>(ConfigFileLoader.Load(folder.Write("worker_count = 1\n")));
        Assert.Equal(Defaults.MaxIncompleteHeadsPerIp, unset.Global.MaxIncompleteHeadsPerIp);
        Assert.Equal(64, Defaults.MaxIncompleteHeadsPerIp);
    }

    [Fact]
    public void Key_Negative_IsAnErrorAtItsLine()
    {
        using var folder = new TempConfigFolder();
        var failed = Assert.IsType<LoadFailed>(ConfigFileLoader.Load(folder.Write("worker_count = 1\nmax_incomplete_heads_per_ip = -1\n")));
        var error = Assert.Single(failed.Errors);
        Assert.Contains("max_incomplete_heads_per_ip", error.ToString(), StringComparison.Ordinal);
    }
}
