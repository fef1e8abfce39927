using static Sozu.Architecture.Tests.AssemblyReferences;

namespace Sozu.Architecture.Tests;

/// <summary>
/// The arrows that must never exist (README, Architecture): Sozu.Messages is a leaf, Sozu.Net
/// knows nothing of Akka or of the actors, and no executable uses another one's code. Each rule
/// runs the same check as its control below, which finds a reference that does exist, so a rule
/// that stopped seeing references would fail there.
/// </summary>
public sealed class NeverArrowsTests
{
    [Fact]
    public void Messages_ReferencesNothingOfOurs_AndNoAkka()
    {
        Assert.Empty(Forbidden(MessagesAssembly, name => IsOurs(name) || IsAkka(name)));
    }

    [Fact]
    public void Net_ReferencesNoAkka_NorTheActors_NorAnExecutable()
    {
        Assert.Empty(Forbidden(NetAssembly, name => IsAkka(name) || name is ActorsAssembly || Executables.Contains(name)));
    }

    [Theory]
    [InlineData(SupervisorAssembly)]
    [InlineData(WorkerAssembly)]
    public void Executable_ReferencesNoOtherExecutable(string executable)
    {
        Assert.Empty(Forbidden(executable, name => name != executable && Executables.Contains(name)));
    }

    [Theory]
    [InlineData(MessagesAssembly)]
    [InlineData(NetAssembly)]
    [InlineData(ActorsAssembly)]
    public void Library_ReferencesNoExecutable(string library)
    {
        Assert.Empty(Forbidden(library, Executables.Contains));
    }

    // Controls: the arrows that do exist are seen by the same check.

    [Fact]
    public void Control_TheActorsReferenceAkka_AndTheNetAndMessages()
    {
        var found = Forbidden(ActorsAssembly, name => IsAkka(name) || IsOurs(name));

        Assert.Contains("Akka", found);
        Assert.Contains("Akka.Remote", found);
        Assert.Contains(NetAssembly, found);
        Assert.Contains(MessagesAssembly, found);
    }

    [Theory]
    [InlineData(SupervisorAssembly)]
    [InlineData(WorkerAssembly)]
    public void Control_EachExecutableReferencesTheActors(string executable)
    {
        Assert.Equal([ActorsAssembly], Forbidden(executable, name => name is ActorsAssembly));
    }

    [Fact]
    public void Control_NetReferencesMessages()
    {
        Assert.Equal([MessagesAssembly], Forbidden(NetAssembly, name => name is MessagesAssembly));
    }
}
