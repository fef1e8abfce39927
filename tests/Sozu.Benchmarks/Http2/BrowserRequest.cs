using System.Text;

namespace Sozu.Benchmarks.Http2;

/// <summary>The fields of a typical browser navigation over h2 (Chromium's, about 700 bytes as text).</summary>
internal static class BrowserRequest
{
    public static readonly (byte[] Name, byte[] Value)[] Fields = Make(
        (":method", "GET"),
        (":authority", "www.example.com"),
        (":scheme", "https"),
        (":path", "/products/category/shoes?page=2&sort=price"),
        ("sec-ch-ua", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""),
        ("sec-ch-ua-mobile", "?0"),
        ("sec-ch-ua-platform", "\"Linux\""),
        ("upgrade-insecure-requests", "1"),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"),
        ("sec-fetch-site", "same-origin"),
        ("sec-fetch-mode", "navigate"),
        ("sec-fetch-user", "?1"),
        ("sec-fetch-dest", "document"),
        ("referer", "https://www.example.com/products"),
        ("accept-encoding", "gzip, deflate, br, zstd"),
        ("accept-language", "en-US,en;q=0.9"),
        ("cookie", "session=8f14e45fceea167a5a36dedd4bea2543; SOZUBALANCEID=backend-3; theme=dark"),
        ("priority", "u=0, i"));

    private static (byte[], byte[])[] Make(params (string Name, string Value)[] fields)
    {
        var result = new (byte[], byte[])[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            result[i] = (Encoding.ASCII.GetBytes(fields[i].Name), Encoding.ASCII.GetBytes(fields[i].Value));
        }
        return result;
    }
}
