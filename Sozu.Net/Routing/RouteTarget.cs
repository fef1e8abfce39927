using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>
/// What a matching frontend decides, built once when the frontend is added so a lookup returns
/// a reference instead of allocating.
/// </summary>
public sealed class RouteTarget
{
    internal RouteTarget(HttpFrontend frontend)
    {
        Frontend = frontend;
        StrictTransportSecurity = frontend.Hsts is { Enabled: true } hsts ? StrictTransportSecurityHeader.Render(hsts) : null;
    }

    public HttpFrontend Frontend { get; }

    /// <summary>Null for a deny frontend.</summary>
    public string? ClusterId => Frontend.ClusterId;

    public HstsConfig? Hsts => Frontend.Hsts;

    /// <summary>The whole "Strict-Transport-Security: …\r\n" line, or null when HSTS is off for this frontend.</summary>
    public byte[]? StrictTransportSecurity { get; }
}
