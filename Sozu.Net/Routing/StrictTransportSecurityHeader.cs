using System.Globalization;
using System.Text;
using Sozu.Messages.Config;

namespace Sozu.Net.Routing;

/// <summary>Renders an HSTS policy to the header line once, at configuration time.</summary>
public static class StrictTransportSecurityHeader
{
    public static byte[] Render(HstsConfig hsts)
    {
        ArgumentNullException.ThrowIfNull(hsts);
        var text = new StringBuilder("Strict-Transport-Security: max-age=")
            .Append(hsts.MaxAge.ToString(CultureInfo.InvariantCulture));
        if (hsts.IncludeSubdomains)
        {
            text.Append("; includeSubDomains");
        }
        if (hsts.Preload)
        {
            text.Append("; preload");
        }
        text.Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
