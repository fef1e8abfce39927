using FsCheck.Fluent;
using Sozu.Messages.Requests;
using Xunit;

namespace Sozu.Messages.Tests.State;

/// <summary>Guards the property tests from passing on trivial input: the generated pairs must reach every feature.</summary>
public class StateGeneratorsTests
{
    [Fact]
    public void Pairs_CoverEveryKindOfItemAndOfDiffStep()
    {
        // Sample(count, size): 400 pairs (the scripts' length does not depend on the size). It was
        // Sample(50, 300), read as 300 pairs but 50 of size 300: two runs in five missed a tcp
        // frontend step.
        var pairs = StateGenerators.Pairs().Generator.Sample(400, 50);
        Assert.Equal(400, pairs.Length);
        var states = pairs.SelectMany(p => new[] { p.From, p.To }).ToList();
        var diffs = pairs.SelectMany(p => Sozu.Messages.State.ConfigState.Diff(p.From, p.To)).Select(r => r.GetType()).ToHashSet();

        Assert.Contains(states, s => s.CertificateCount >= 2);
        Assert.Contains(states, s => s.TcpFrontends.Count > 0);
        Assert.Contains(states, s => s.HttpsFrontends.Count >= 3);
        Assert.Contains(states, s => s.HttpFrontends.Values.Any(f => f.ClusterId is null));
        Assert.Contains(states, s => s.Listeners.Values.Any(l => l.Active));
        Assert.Contains(states, s => s.BackendCount >= 4);
        Assert.Contains(states, s => s.FrontendCount >= 8);
        // Every configuration request type appears in some diff, so the property tests apply each of them.
        var everyKind = typeof(ConfigRequest).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ConfigRequest)) && !t.IsAbstract);
        foreach (var kind in everyKind)
        {
            Assert.Contains(kind, diffs);
        }
    }
}
