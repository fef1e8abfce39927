using System.Text;

namespace Sozu.Net.Tests.Support;

/// <summary>A request or response as the test servers and clients see it (decoded body).</summary>
internal sealed class HttpMessage
{
    public string StartLine { get; set; } = "";

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public byte[] Body { get; set; } = [];

    public bool WasChunked { get; set; }

    public int Status => int.Parse(StartLine.Split(' ')[1]);

    public string Method => StartLine.Split(' ')[0];

    public string Target => StartLine.Split(' ')[1];

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    public bool HasToken(string name, string token) =>
        Header(name)?.Split(',').Any(t => string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase)) ?? false;
}
