using Sozu.Messages.Accounts;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

/// <summary>user / group (HAProxy's keys) and tls_ticket_rotation (this product's own).</summary>
public sealed class GlobalKeysOfThisProductTests : IDisposable
{
    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private LoadResult Load(string toml) => ConfigFileLoader.Load(_folder.Write(toml));

    [Fact]
    public void UserAndGroup_KnownToTheSystem_AreLoaded()
    {
        var loaded = Assert.IsType<LoadedConfig>(Load("""
            user = "nobody"
            group = "nogroup"
            """));
        Assert.Equal(("nobody", "nogroup"), (loaded.Global.User, loaded.Global.Group));
        Assert.True(SystemAccounts.TryFindUser("nobody", out var uid, out _));
        Assert.Equal(65534u, uid);
        Assert.True(SystemAccounts.TryFindGroup("root", out var gid));
        Assert.Equal(0u, gid);
    }

    [Fact]
    public void UnknownUserOrGroup_IsAnErrorAtItsLine()
    {
        var errors = Assert.IsType<LoadFailed>(Load("""
            worker_count = 1
            user = "no-such-user-here"
            group = "no-such-group-here"
            """)).Errors;
        var user = Assert.Single(errors, e => e.Key == "user");
        Assert.Equal(2, user.Line);
        Assert.Contains("unknown user \"no-such-user-here\"", user.Message, StringComparison.Ordinal);
        var group = Assert.Single(errors, e => e.Key == "group");
        Assert.Equal(3, group.Line);
    }

    [Fact]
    public void TicketRotation_DefaultsTo12Hours_AndRefusesUnderAMinute()
    {
        Assert.Equal(43_200, Assert.IsType<LoadedConfig>(Load("worker_count = 1")).Global.TlsTicketRotation);
        Assert.Equal(3_600, Assert.IsType<LoadedConfig>(Load("tls_ticket_rotation = 3600")).Global.TlsTicketRotation);
        var error = Assert.Single(Assert.IsType<LoadFailed>(Load("tls_ticket_rotation = 5")).Errors);
        Assert.Equal("tls_ticket_rotation", error.Key);
    }
}
