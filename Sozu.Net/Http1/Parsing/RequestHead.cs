using System.Text;

namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// A parsed request head as offsets into the session's buffer. Reused from one request to the
/// next; valid only while the buffer it was parsed from is unchanged.
/// </summary>
public sealed class RequestHead : MessageHead
{
    private readonly byte[] _stickyCookieName;

    /// <param name="stickyCookieName">The cookie whose value selects a sticky backend, e.g. SOZUBALANCEID; null for none.</param>
    public RequestHead(string? stickyCookieName = null, int maxHeaders = DefaultMaxHeaders, int maxHeadLength = DefaultMaxHeadLength)
        : base(maxHeaders, maxHeadLength)
    {
        _stickyCookieName = stickyCookieName is null ? [] : Encoding.ASCII.GetBytes(stickyCookieName);
        Reset();
    }

    public ReadOnlySpan<byte> StickyCookieName => _stickyCookieName;

    public ByteRange Method { get; internal set; }

    public bool IsHeadMethod { get; internal set; }

    /// <summary>The request target exactly as received (path and query, or an absolute URI, or "*").</summary>
    public ByteRange Target { get; internal set; }

    /// <summary>The path without the query; "*" for an asterisk-form target.</summary>
    public ByteRange Path { get; internal set; }

    /// <summary>The query after '?', without the '?'; empty when absent.</summary>
    public ByteRange Query { get; internal set; }

    /// <summary>The path and query, without an absolute-form scheme and authority: what a redirect keeps.</summary>
    public ByteRange PathAndQuery => new(Path.Start, Target.End - Path.Start);

    /// <summary>The authority of an absolute-form target (host[:port]); empty for origin-form.</summary>
    public ByteRange Authority { get; internal set; }

    /// <summary>The Host header value (with any port).</summary>
    public ByteRange Host { get; internal set; }

    /// <summary>What to route on: the absolute-form authority wins over Host (RFC 9112 §3.2.2).</summary>
    public ByteRange RoutingHost => Authority.IsEmpty ? Host : Authority;

    public bool ExpectContinue { get; internal set; }

    /// <summary>The value of the sticky cookie when the request carries it.</summary>
    public ByteRange StickyCookie { get; internal set; }

    /// <summary>"name=value" of the sticky cookie: the request writer removes it before forwarding, as Sōzu does.</summary>
    public ByteRange StickyCookiePair { get; internal set; }

    /// <summary>Index in <see cref="MessageHead.Headers"/> of the Cookie line holding the sticky cookie, or -1.</summary>
    public int StickyCookieHeader { get; internal set; }

    /// <summary>Whether the client connection may stay open after the response.</summary>
    public bool KeepAlive => (Connection & ConnectionOptions.Close) == 0
        && (Version == HttpVersion.Http11 || (Connection & ConnectionOptions.KeepAlive) != 0);

    /// <summary>The client asks to switch protocols (Connection: upgrade and an Upgrade header).</summary>
    public bool IsUpgrade => (Connection & ConnectionOptions.Upgrade) != 0 && !Upgrade.IsEmpty;

    internal override void Reset()
    {
        base.Reset();
        Method = default;
        IsHeadMethod = false;
        Target = default;
        Path = default;
        Query = default;
        Authority = default;
        Host = default;
        ExpectContinue = false;
        StickyCookie = default;
        StickyCookiePair = default;
        StickyCookieHeader = -1;
    }
}
