using Sozu.Actors.Remoting;
using Sozu.Actors.Serialization;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Tests.Serialization;

public sealed class WireTypeAllowListTests
{
    [Theory]
    [InlineData(typeof(AddHttpFrontend))]
    [InlineData(typeof(ValueList<HttpFrontend>))]
    [InlineData(typeof(StringMap))]
    [InlineData(typeof(KeyValuePair<string, string>[]))]
    [InlineData(typeof(int?))]
    [InlineData(typeof(string))]
    [InlineData(typeof(PeerAnnouncement))]
    public void IsAllowed_TypesTheRecordsUse_AreAllowedByAssemblyQualifiedName(Type type)
    {
        Assert.True(WireTypeAllowList.Instance.IsAllowed(type.AssemblyQualifiedName!));
    }

    [Theory]
    [InlineData("System.String, System.Private.CoreLib,%core%")]
    [InlineData("Sozu.Messages.Collections.ValueList`1[[Sozu.Messages.Config.HttpFrontend, Sozu.Messages]], Sozu.Messages")]
    [InlineData("System.Collections.Generic.KeyValuePair`2[[System.String, System.Private.CoreLib,%core%],[System.String, System.Private.CoreLib,%core%]][], System.Private.CoreLib,%core%")]
    public void IsAllowed_HyperionShortNames_AreAllowed(string name)
    {
        Assert.True(WireTypeAllowList.Instance.IsAllowed(name));
    }

    [Theory]
    [InlineData(typeof(Uri))]
    [InlineData(typeof(FileInfo))]
    [InlineData(typeof(System.Net.IPAddress))]
    [InlineData(typeof(List<string>))]
    [InlineData(typeof(Action))]
    [InlineData(typeof(ValueList<Uri>))]
    [InlineData(typeof(Uri[]))]
    [InlineData(typeof(Sozu.Actors.Workers.WorkerActor))]
    [InlineData(typeof(UnixDomainSocketTransportSettings))]
    public void IsAllowed_AnythingElse_IsRefused(Type type)
    {
        Assert.False(WireTypeAllowList.Instance.IsAllowed(type.AssemblyQualifiedName!));
        Assert.NotNull(WireTypeAllowList.Explain(type.AssemblyQualifiedName!));
    }

    [Theory]
    [InlineData("System.Uri")]
    [InlineData("not a [type name")]
    [InlineData("")]
    public void IsAllowed_NamesWithoutAnAllowedAssembly_AreRefused(string name)
    {
        Assert.False(WireTypeAllowList.Instance.IsAllowed(name));
    }
}
