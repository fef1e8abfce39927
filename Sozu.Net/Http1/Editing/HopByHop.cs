using System.Text;
using Sozu.Net.Http1.Parsing;

namespace Sozu.Net.Http1.Editing;

/// <summary>Which headers end at this hop (RFC 9110 §7.6.1) and are not forwarded.</summary>
internal static class HopByHop
{
    /// <summary>
    /// Headers any hop removes. Trailer is not here: we forward chunked bodies unchanged,
    /// trailers included, so the announcement stays true (RFC 9110 treats it as end-to-end).
    /// HTTP2-Settings belongs to "Upgrade: h2c", which is never forwarded.
    /// </summary>
    public static bool IsAlwaysHopByHop(KnownHeader kind) =>
        kind is KnownHeader.Connection or KnownHeader.KeepAlive or KnownHeader.ProxyConnection or KnownHeader.TE or KnownHeader.Http2Settings;

    /// <summary>
    /// Whether a Connection header names this header. Only unclassified headers may be dropped
    /// that way: "Connection: Content-Length" must not let a client strip framing or Host.
    /// </summary>
    public static bool IsNamedByConnection(ReadOnlySpan<byte> source, MessageHead head, in HeaderEntry header)
    {
        if (header.Kind != KnownHeader.Other || (head.Connection & ConnectionOptions.NamesOtherHeaders) == 0)
        {
            return false;
        }
        var name = header.Name(source);
        foreach (var connection in head.Headers)
        {
            if (connection.Kind != KnownHeader.Connection)
            {
                continue;
            }
            var value = connection.Value(source);
            foreach (var range in value.Split((byte)','))
            {
                if (Ascii.EqualsIgnoreCase(HttpBytesTrim(value[range]), name))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static ReadOnlySpan<byte> HttpBytesTrim(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);
}
