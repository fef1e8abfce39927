namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// Receives each decoded field in order. The spans point into the field block, a table or the
/// decoder's scratch buffer, and are valid only during the call: a field that is only forwarded
/// is copied once into its destination, never turned into a string.
/// <paramref name="neverIndexed"/> is set for a literal never indexed, which a proxy must
/// re-encode the same way (RFC 7541 6.2.3).
/// </summary>
public interface IHpackHeaderVisitor
{
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed);
}
