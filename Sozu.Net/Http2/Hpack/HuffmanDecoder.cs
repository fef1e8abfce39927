namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// Decodes Huffman strings (RFC 7541 5.2) four bits at a time with a state machine: the states
/// are the 256 inner nodes of the code tree, and a table built once from <see cref="HuffmanCode"/>
/// gives, for a state and the next 4 bits, the next state, the symbol completed on the way (at
/// most one: no code is shorter than 5 bits), whether EOS was reached, and whether the state is
/// a valid place to stop (the bits since the last symbol are all ones and fewer than 8: padding).
/// Two table lookups per input byte, no branch per bit.
/// </summary>
public static class HuffmanDecoder
{
    private const int StateCount = 256;
    private const uint NextMask = 0xFF;
    private const int SymbolShift = 8;
    private const uint Emits = 1u << 16;
    private const uint Fails = 1u << 17;
    private const uint Accepts = 1u << 18;

    private static readonly uint[] Transitions = BuildTransitions();

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>. <paramref name="length"/>
    /// is the decoded length even when it exceeds the destination (then only the first bytes were
    /// written, and the whole input was still checked).
    /// </summary>
    public static HpackError Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int length)
    {
        var transitions = Transitions;
        uint state = 0;
        var accepting = true;
        length = 0;
        foreach (var b in source)
        {
            var high = transitions[(state << 4) | (uint)(b >> 4)];
            if ((high & Fails) != 0)
            {
                return HpackError.HuffmanEos;
            }
            if ((high & Emits) != 0)
            {
                if (length < destination.Length)
                {
                    destination[length] = (byte)(high >> SymbolShift);
                }
                length++;
            }
            var low = transitions[((high & NextMask) << 4) | (uint)(b & 0xF)];
            if ((low & Fails) != 0)
            {
                return HpackError.HuffmanEos;
            }
            if ((low & Emits) != 0)
            {
                if (length < destination.Length)
                {
                    destination[length] = (byte)(low >> SymbolShift);
                }
                length++;
            }
            state = low & NextMask;
            accepting = (low & Accepts) != 0;
        }
        return accepting ? HpackError.None : HpackError.InvalidHuffmanPadding;
    }

    private static uint[] BuildTransitions()
    {
        // The code tree: inner nodes 0..255 (0 the root); a child below 0 is the leaf -(symbol + 1).
        var children = new int[StateCount, 2];
        var nodes = 1;
        for (var symbol = 0; symbol <= HuffmanCode.Eos; symbol++)
        {
            var code = HuffmanCode.CodeOf(symbol);
            var length = HuffmanCode.LengthOf(symbol);
            var node = 0;
            for (var bit = length - 1; bit > 0; bit--)
            {
                var branch = (int)((code >> bit) & 1);
                if (children[node, branch] == 0)
                {
                    children[node, branch] = nodes++;
                }
                node = children[node, branch];
            }
            children[node, (int)(code & 1)] = -(symbol + 1);
        }
        if (nodes != StateCount)
        {
            throw new InvalidOperationException($"the Huffman tree has {nodes} inner nodes, 256 expected");
        }

        // Valid stopping points: the root and up to 7 ones below it (a prefix of EOS).
        var accepting = new bool[StateCount];
        accepting[0] = true;
        var onesNode = 0;
        for (var depth = 1; depth <= 7; depth++)
        {
            onesNode = children[onesNode, 1];
            accepting[onesNode] = true;
        }

        var transitions = new uint[StateCount * 16];
        for (var state = 0; state < StateCount; state++)
        {
            for (var nibble = 0; nibble < 16; nibble++)
            {
                var node = state;
                uint entry = 0;
                for (var bit = 3; bit >= 0; bit--)
                {
                    var next = children[node, (nibble >> bit) & 1];
                    if (next >= 0)
                    {
                        node = next;
                        continue;
                    }
                    var symbol = -next - 1;
                    if (symbol == HuffmanCode.Eos)
                    {
                        entry |= Fails;
                        break;
                    }
                    entry |= Emits | ((uint)symbol << SymbolShift);
                    node = 0;
                }
                entry |= (uint)node | (accepting[node] ? Accepts : 0);
                transitions[(state << 4) | nibble] = entry;
            }
        }
        return transitions;
    }
}
