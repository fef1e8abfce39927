using Sozu.Messages.Collections;

namespace Sozu.Messages.Config;

/// <summary>What every listener has. Timeouts are in seconds, as in Sōzu's configuration.</summary>
public abstract record ListenerConfig : ISozuMessage
{
    /// <summary>"ip:port"; the key of the listener in the state.</summary>
    public required string Address { get; init; }

    /// <summary>The address clients see, when a load balancer sits in front (used in Forwarded headers).</summary>
    public string? PublicAddress { get; init; }

    /// <summary>Expect a PROXY protocol v2 header on each accepted connection.</summary>
    public bool ExpectProxy { get; init; }

    public int FrontTimeout { get; init; } = Defaults.FrontTimeoutSeconds;

    public int BackTimeout { get; init; } = Defaults.BackTimeoutSeconds;

    public int ConnectTimeout { get; init; } = Defaults.ConnectTimeoutSeconds;

    public abstract ListenerProtocol Protocol { get; }
}

public sealed record HttpListenerConfig : ListenerConfig
{
    public string StickyName { get; init; } = Defaults.StickyName;

    public int RequestTimeout { get; init; } = Defaults.RequestTimeoutSeconds;

    /// <summary>Raw HTTP answers keyed by status code ("404", "503", …) replacing the built-in ones.</summary>
    public StringMap Answers { get; init; } = StringMap.Empty;

    public override ListenerProtocol Protocol => ListenerProtocol.Http;
}

public sealed record HttpsListenerConfig : ListenerConfig
{
    public string StickyName { get; init; } = Defaults.StickyName;

    public int RequestTimeout { get; init; } = Defaults.RequestTimeoutSeconds;

    public StringMap Answers { get; init; } = StringMap.Empty;

    /// <summary>Empty means the safe default: TLS 1.2 and 1.3.</summary>
    public ValueList<TlsVersion> Versions { get; init; } = ValueList<TlsVersion>.Empty;

    /// <summary>OpenSSL cipher list (TLS 1.2) and suites (TLS 1.3); empty means the product's safe defaults.</summary>
    public ValueList<string> CipherList { get; init; } = ValueList<string>.Empty;

    /// <summary>Empty means ["http/1.1"].</summary>
    public ValueList<string> AlpnProtocols { get; init; } = ValueList<string>.Empty;

    public HstsConfig? Hsts { get; init; }

    public override ListenerProtocol Protocol => ListenerProtocol.Https;
}

public sealed record TcpListenerConfig : ListenerConfig
{
    public override ListenerProtocol Protocol => ListenerProtocol.Tcp;
}
