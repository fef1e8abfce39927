using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>
/// The session-ticket keys of one worker, in native memory, read by OpenSSL's ticket callback
/// (<see cref="TlsCallbacks.OnTicketKey"/>) and shared by every HTTPS listener of the worker.
/// The current key seals every new ticket; the previous one (after a rotation) still opens
/// older tickets, which OpenSSL then renews with the current key. A ticket whose key name
/// matches neither means a full handshake, never a failure.
/// <para>
/// The supervisor hands the keys (<see cref="Install"/>) so that every worker seals alike; until
/// it does (a worker run on its own, tests) a random key of this process seals, as OpenSSL would.
/// Each key is 80 bytes: name (16), HMAC-SHA256 key (32), AES-256-CBC key (32). Loop thread only;
/// the memory is zeroed before it is freed. Sealing and opening allocate nothing.
/// </para>
/// </summary>
internal sealed unsafe class TicketKeyring : IDisposable
{
    public const int KeyLength = 80;
    private const int NameLength = 16;
    private const int HmacOffset = 16;
    private const int AesOffset = 48;
    private const int IvLength = 16;

    /// <summary>Per key: its 80 bytes, then the 3 OSSL_PARAMs (digest, key, end) that give HMAC its key.</summary>
    private static readonly int EntrySize = KeyLength + (3 * sizeof(OsslParam));

    // Parameter names and the digest name, NUL-terminated, for the life of the process.
    private static readonly byte* DigestParam = Utf8("digest");
    private static readonly byte* KeyParam = Utf8("key");
    private static readonly byte* Sha256 = Utf8("SHA256");
    private static readonly nint Aes256Cbc = LibCrypto.EvpAes256Cbc();

    private byte* _entries;
    private bool _hasPrevious;

    public TicketKeyring()
    {
        _entries = (byte*)NativeMemory.AllocZeroed((nuint)(2 * EntrySize));
        Span<byte> random = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(random);
        Install(random, default);
        CryptographicOperations.ZeroMemory(random);
    }

    /// <summary>Whether the supervisor's keys are installed (false: this process's own random key).</summary>
    public bool FromSupervisor { get; private set; }

    /// <summary>Seals with <paramref name="current"/> from now on; opens tickets of either key.</summary>
    public void Install(ReadOnlySpan<byte> current, ReadOnlySpan<byte> previous)
    {
        ObjectDisposedException.ThrowIf(_entries == null, this);
        if (current.Length != KeyLength || (previous.Length != 0 && previous.Length != KeyLength))
        {
            throw new ArgumentException($"a session-ticket key is {KeyLength} bytes");
        }
        Write(Entry(0), current);
        _hasPrevious = previous.Length != 0;
        if (_hasPrevious)
        {
            Write(Entry(1), previous);
        }
        else
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(Entry(1), EntrySize));
        }
    }

    /// <summary>Installs the supervisor's keys.</summary>
    public void InstallFromSupervisor(ReadOnlySpan<byte> current, ReadOnlySpan<byte> previous)
    {
        Install(current, previous);
        FromSupervisor = true;
    }

    /// <summary>enc = 1: name the current key, draw the IV, key the cipher and the HMAC. 1 done, 0 no ticket.</summary>
    public int Seal(byte* keyName, byte* iv, nint cipherContext, nint macContext)
    {
        var entry = Entry(0);
        if (LibCrypto.RandBytes(iv, IvLength) != 1)
        {
            return 0;
        }
        new ReadOnlySpan<byte>(entry, NameLength).CopyTo(new Span<byte>(keyName, NameLength));
        if (LibCrypto.EvpEncryptInitEx(cipherContext, Aes256Cbc, 0, entry + AesOffset, iv) != 1
            || LibCrypto.EvpMacCtxSetParams(macContext, Params(entry)) != 1)
        {
            return 0;
        }
        return 1;
    }

    /// <summary>enc = 0: 1 opened with the current key, 2 with the previous one (renew it), 0 unknown key (full handshake).</summary>
    public int Open(byte* keyName, byte* iv, nint cipherContext, nint macContext)
    {
        var name = new ReadOnlySpan<byte>(keyName, NameLength);
        int found;
        if (name.SequenceEqual(new ReadOnlySpan<byte>(Entry(0), NameLength)))
        {
            found = 0;
        }
        else if (_hasPrevious && name.SequenceEqual(new ReadOnlySpan<byte>(Entry(1), NameLength)))
        {
            found = 1;
        }
        else
        {
            return 0;
        }
        var entry = Entry(found);
        if (LibCrypto.EvpMacCtxSetParams(macContext, Params(entry)) != 1
            || LibCrypto.EvpDecryptInitEx(cipherContext, Aes256Cbc, 0, entry + AesOffset, iv) != 1)
        {
            return 0;
        }
        return found == 0 ? 1 : 2;
    }

    private byte* Entry(int index) => _entries + (index * EntrySize);

    private static OsslParam* Params(byte* entry) => (OsslParam*)(entry + KeyLength);

    private static void Write(byte* entry, ReadOnlySpan<byte> key)
    {
        key.CopyTo(new Span<byte>(entry, KeyLength));
        var parameters = Params(entry);
        parameters[0] = new OsslParam { Key = DigestParam, DataType = OsslParam.Utf8String, Data = Sha256, DataSize = 6, ReturnSize = OsslParam.Unmodified };
        parameters[1] = new OsslParam { Key = KeyParam, DataType = OsslParam.OctetString, Data = entry + HmacOffset, DataSize = 32, ReturnSize = OsslParam.Unmodified };
        parameters[2] = default;
    }

    private static byte* Utf8(string text)
    {
        var bytes = (byte*)NativeMemory.AllocZeroed((nuint)(text.Length + 1));
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }
        return bytes;
    }

    public void Dispose()
    {
        if (_entries == null)
        {
            return;
        }
        CryptographicOperations.ZeroMemory(new Span<byte>(_entries, 2 * EntrySize));
        NativeMemory.Free(_entries);
        _entries = null;
    }
}
