namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// Why a field block did not decode. Every value but <see cref="HeaderListTooLarge"/> leaves the
/// decoder's table out of step with the peer's encoder: a connection error COMPRESSION_ERROR
/// (RFC 9113 4.3). <see cref="HeaderListTooLarge"/> is found after the whole block was decoded,
/// the table kept in step: the session answers 431 or resets that one stream.
/// </summary>
public enum HpackError : byte
{
    None,

    /// <summary>The block ends inside a representation (an integer, a string, a literal missing its value).</summary>
    Truncated,

    /// <summary>An integer above 2^31 - 1, or with more continuation bytes than one could need.</summary>
    IntegerOverflow,

    /// <summary>Index 0, or beyond the static table and the entries the dynamic table holds.</summary>
    IndexOutOfRange,

    /// <summary>A Huffman string whose padding is longer than 7 bits or not the most significant bits of EOS (5.2).</summary>
    InvalidHuffmanPadding,

    /// <summary>A Huffman string that contains the EOS symbol (5.2).</summary>
    HuffmanEos,

    /// <summary>A dynamic table size update above the limit this endpoint advertised (6.3).</summary>
    TableSizeUpdateTooLarge,

    /// <summary>A dynamic table size update after the block's first field (RFC 9113 4.3.1).</summary>
    TableSizeUpdateNotAtStart,

    /// <summary>The limit was lowered, and the first block after it does not start with a size update (4.2).</summary>
    TableSizeUpdateMissing,

    /// <summary>The decoded list exceeds the configured size (names, values, 32 bytes per field).</summary>
    HeaderListTooLarge,
}
