using System.Security.Cryptography;

namespace Sozu.Net.Http1.Editing;

/// <summary>
/// Request ids in the ULID text form (26 Crockford base-32 characters, sortable by time):
/// 48 bits of Unix milliseconds then 80 bits from a random start advanced by one per id, so
/// ids are unique per generator without a random draw per request. One generator per event
/// loop; not thread-safe. Written as bytes straight into the head, never as a string.
/// </summary>
public sealed class RequestIdGenerator
{
    public const int Length = 26;

    private static ReadOnlySpan<byte> Alphabet => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"u8;

    private static readonly UInt128 LowMask = (UInt128.One << 80) - 1;

    private UInt128 _counter;

    public RequestIdGenerator()
    {
        Span<byte> seed = stackalloc byte[16];
        RandomNumberGenerator.Fill(seed);
        _counter = new UInt128(BitConverter.ToUInt64(seed), BitConverter.ToUInt64(seed[8..])) & LowMask;
    }

    /// <summary>Writes the next id into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void Next(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length);
        _counter = (_counter + 1) & LowMask;
        var millis = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFF;
        var value = ((UInt128)millis << 80) | _counter;
        // 26 × 5 = 130 bits: the first character carries the top 3 bits of the 128.
        for (var i = Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(ulong)(value & 31)];
            value >>= 5;
        }
    }
}
