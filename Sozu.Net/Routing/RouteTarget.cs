using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>
/// What a matching frontend decides, built once when the frontend is added so a lookup returns
/// a reference instead of allocating.
/// </summary>
public sealed class RouteTarget
{
    internal RouteTarget(HttpFrontend frontend, HstsConfig? listenerHsts)
    {
        Frontend = frontend;
        // A frontend's policy overrides its listener's, including to switch it off.
        Hsts = frontend.Hsts ?? listenerHsts;
        StrictTransportSecurity = Hsts is { Enabled: true } hsts ? StrictTransportSecurityHeader.Render(hsts) : null;
    }

    public HttpFrontend Frontend { get; }

    /// <summary>Null for a deny frontend.</summary>
    public string? ClusterId => Frontend.ClusterId;

    /// <summary>The HSTS policy in force: the frontend's, else the listener's.</summary>
    public HstsConfig? Hsts { get; }

    /// <summary>The whole "Strict-Transport-Security: …\r\n" line, or null when HSTS is off for this route.</summary>
    public byte[]? StrictTransportSecurity { get; }
}
