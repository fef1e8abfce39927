namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// The Huffman code of RFC 7541 Appendix B. It is canonical (codes of one length are
/// consecutive, in symbol order, and each length continues from the previous one shifted left),
/// so the code lengths alone define it; the codes are rebuilt from them once. Tests check the
/// result against codes printed in the appendix and against the examples of Appendix C.
/// </summary>
public static class HuffmanCode
{
    /// <summary>The end-of-string symbol: never encoded, a decoder refuses it.</summary>
    public const int Eos = 256;

    /// <summary>The longest code (EOS's), in bits.</summary>
    public const int LongestCode = 30;

    // Code length in bits of symbols 0 to 255 and EOS, from RFC 7541 Appendix B.
    private static ReadOnlySpan<byte> Lengths =>
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    ];

    private static readonly uint[] Codes = BuildCodes();

    /// <summary>The code of <paramref name="symbol"/> (0 to 256), right-aligned, and its length in bits.</summary>
    public static uint CodeOf(int symbol) => Codes[symbol];

    public static int LengthOf(int symbol) => Lengths[symbol];

    private static uint[] BuildCodes()
    {
        var codes = new uint[Eos + 1];
        uint code = 0;
        var previousLength = 0;
        for (var length = 1; length <= LongestCode; length++)
        {
            for (var symbol = 0; symbol <= Eos; symbol++)
            {
                if (Lengths[symbol] != length)
                {
                    continue;
                }
                if (previousLength != 0)
                {
                    code = (code + 1) << (length - previousLength);
                }
                codes[symbol] = code;
                previousLength = length;
            }
        }
        return codes;
    }
}
