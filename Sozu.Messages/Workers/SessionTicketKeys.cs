using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sozu.Messages.Collections;

namespace Sozu.Messages.Workers;

/// <summary>
/// The TLS session-ticket keys every worker seals and opens tickets with, drawn by the
/// supervisor so that a ticket sealed by one worker opens on any other (they all accept from
/// one shared queue). <see cref="Current"/> seals new tickets; <see cref="Previous"/> (empty
/// before the first rotation) still opens the tickets sealed before the last rotation, which
/// are then re-sealed with the current key. Each key is 80 bytes: a 16-byte name (sent in
/// clear in every ticket), a 32-byte HMAC-SHA256 key and a 32-byte AES-256 key.
/// Secret: it travels only over the supervisor–worker remoting, is never written to a file,
/// and <see cref="ToString"/> shows the names alone.
/// </summary>
public sealed record SessionTicketKeys : ISozuMessage, IInvariantChecked
{
    public const int KeyLength = 80;
    public const int NameLength = 16;

    public required ValueList<byte> Current { get; init; }

    public ValueList<byte> Previous { get; init; } = ValueList<byte>.Empty;

    /// <summary>A fresh current key from the system's cryptographic generator, no previous one.</summary>
    public static SessionTicketKeys Generate() => new() { Current = ValueList<byte>.From(RandomNumberGenerator.GetBytes(KeyLength)) };

    /// <summary>A fresh current key; the current one becomes the previous (the older previous is dropped).</summary>
    public SessionTicketKeys Rotate() => new() { Current = ValueList<byte>.From(RandomNumberGenerator.GetBytes(KeyLength)), Previous = Current };

    public string? FindViolation()
    {
        if (Current is null || Current.Count != KeyLength)
        {
            return $"the current session-ticket key must be {KeyLength} bytes";
        }
        if (Previous is null || (Previous.Count != 0 && Previous.Count != KeyLength))
        {
            return $"the previous session-ticket key must be empty or {KeyLength} bytes";
        }
        return null;
    }

    /// <summary>The key names only: the HMAC and AES keys never reach a log line.</summary>
    public override string ToString() =>
        $"SessionTicketKeys {{ Current = {Name(Current)}, Previous = {(Previous.Count == 0 ? "none" : Name(Previous))} }}";

    private static string Name(ValueList<byte> key)
    {
        if (key is null || key.Count < NameLength)
        {
            return "invalid";
        }
        var text = new StringBuilder("name ", 5 + (2 * NameLength));
        foreach (var b in key.AsSpan()[..NameLength])
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
