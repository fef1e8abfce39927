using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

/// <summary>
/// OpenSSL 3's OSSL_PARAM (openssl/core.h): a named, typed pointer to a value. An array of them
/// ends with an entry whose <see cref="Key"/> is null.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OsslParam
{
    public const uint Utf8String = 4;
    public const uint OctetString = 5;

    /// <summary>OSSL_PARAM_UNMODIFIED: OpenSSL has not written a size back.</summary>
    public static readonly nuint Unmodified = nuint.MaxValue;

    public byte* Key;
    public uint DataType;
    public void* Data;
    public nuint DataSize;
    public nuint ReturnSize;
}
