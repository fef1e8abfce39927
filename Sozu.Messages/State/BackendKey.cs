using Sozu.Messages.Config;

namespace Sozu.Messages.State;

/// <summary>
/// A backend is known by its id and address together (as Sōzu): the same id at a new address
/// is another backend, so a move is an add then a remove, and connections drain from the old one.
/// </summary>
public readonly record struct BackendKey(string BackendId, string Address)
{
    public static readonly IComparer<BackendKey> Comparer = Comparer<BackendKey>.Create(static (x, y) =>
    {
        var c = string.CompareOrdinal(x.BackendId, y.BackendId);
        return c != 0 ? c : string.CompareOrdinal(x.Address, y.Address);
    });

    public static BackendKey Of(Backend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new(backend.BackendId, backend.Address);
    }

    public override string ToString() => $"{BackendId}@{Address}";
}
