using System.Text;
using Sozu.Net.Http2.Hpack;

namespace Sozu.Net.Tests.Http2.Hpack;

/// <summary>A visitor for tests: keeps every field it hears as Latin-1 strings (any byte survives).</summary>
public sealed class HeaderCollector : IHpackHeaderVisitor
{
    public List<(string Name, string Value, bool NeverIndexed)> Fields { get; } = [];

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
        Fields.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value), neverIndexed));

    public List<(string Name, string Value)> Pairs()
    {
        var pairs = new List<(string, string)>(Fields.Count);
        foreach (var (name, value, _) in Fields)
        {
            pairs.Add((name, value));
        }
        return pairs;
    }
}
