using Sozu.Fuzz.Targets;

namespace Sozu.Fuzz;

/// <summary>
/// Every fuzz target, by name. Adding one: a class in Targets/ deriving from
/// <see cref="FuzzTarget"/>, a line here, a seed folder corpus/&lt;name&gt;/ (and optionally
/// dictionaries/&lt;name&gt;.dict); scripts/fuzz.sh and the tests pick it up from this table.
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new RequestHeadTarget(),
        new ResponseHeadTarget(),
        new ChunkedBodyTarget(),
        new CommandJsonTarget(),
        new TomlConfigTarget(),
        new ProxyHeaderTarget(),
        new H2FramesTarget(),
        new HpackBlockTarget(),
    ];

    public static FuzzTarget? Find(string name)
    {
        foreach (var target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.Ordinal))
            {
                return target;
            }
        }
        return null;
    }
}
