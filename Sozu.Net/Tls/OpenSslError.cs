using System.Text;
using Sozu.Net.Interop;

namespace Sozu.Net.Tls;

/// <summary>The OpenSSL error queue, read on configuration and failure paths only (it allocates a string).</summary>
internal static unsafe class OpenSslError
{
    /// <summary>Empties the queue so the next call's errors are its own (SSL_get_error reads the queue).</summary>
    public static void Clear() => LibCrypto.ErrClearError();

    /// <summary>The oldest queued error as text, then clears the queue; <paramref name="fallback"/> when empty.</summary>
    public static string Take(string fallback)
    {
        var code = LibCrypto.ErrGetError();
        if (code == 0)
        {
            return fallback;
        }
        var text = stackalloc byte[256];
        LibCrypto.ErrErrorStringN(code, text, 256);
        var length = 0;
        while (length < 256 && text[length] != 0)
        {
            length++;
        }
        LibCrypto.ErrClearError();
        return Encoding.ASCII.GetString(text, length);
    }
}
