using Sozu.Actors.Remoting;
using Sozu.Actors.Tests.TestSupport;

namespace Sozu.Actors.Tests.Remoting;

public sealed class SocketDirectoryTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void EnsurePrivate_MissingDirectory_IsCreatedWithMode700()
    {
        using var directory = new TempSocketDirectory();

        SocketDirectory.EnsurePrivate(directory.Path);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.Path));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupExecute)]
    [InlineData(UnixFileMode.OtherExecute)]
    [InlineData(UnixFileMode.OtherWrite)]
    public void EnsurePrivate_GroupOrWorldAccessibleDirectory_IsRefused(UnixFileMode extra)
    {
        using var directory = new TempSocketDirectory();
        Directory.CreateDirectory(directory.Path, OwnerOnly);
        File.SetUnixFileMode(directory.Path, OwnerOnly | extra);

        var error = Assert.Throws<UnauthorizedAccessException>(() => SocketDirectory.EnsurePrivate(directory.Path));

        Assert.Contains("must be 700", error.Message, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly | extra, File.GetUnixFileMode(directory.Path));
    }

    [Fact]
    public void EnsurePrivate_SymbolicLinkToAPrivateDirectory_IsRefused()
    {
        using var target = new TempSocketDirectory();
        using var link = new TempSocketDirectory();
        Directory.CreateDirectory(target.Path, OwnerOnly);
        Directory.CreateSymbolicLink(link.Path, target.Path);

        try
        {
            var error = Assert.Throws<UnauthorizedAccessException>(() => SocketDirectory.EnsurePrivate(link.Path));
            Assert.Contains("not a directory", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(link.Path);
        }
    }

    [Fact]
    public void EnsurePrivate_DirectoryOwnedByAnotherUser_IsRefused()
    {
        // /tmp belongs to root and is world-writable; this test process does not run as root
        // in CI, and if it does the mode check still refuses it.
        var error = Assert.Throws<UnauthorizedAccessException>(() => SocketDirectory.EnsurePrivate("/tmp"));

        Assert.Matches("owned by uid 0|must be 700", error.Message);
    }

    [Fact]
    public void EnsurePrivate_RelativePath_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => SocketDirectory.EnsurePrivate("relative/sockets"));
    }

    [Fact]
    public void SocketPath_FitsInSunPath_MapsHostAndSlotToAFileName()
    {
        Assert.Equal("/run/sozu/worker-101.sock", SocketDirectory.SocketPath("/run/sozu", "worker", 101));
    }

    [Fact]
    public void SocketPath_LongerThanSunPath_IsRefusedWithTheLimit()
    {
        var directory = "/tmp/" + new string('d', 100);

        var error = Assert.Throws<ArgumentException>(() => SocketDirectory.SocketPath(directory, "worker", 101));

        Assert.Contains("108 bytes", error.Message, StringComparison.Ordinal);
    }
}
