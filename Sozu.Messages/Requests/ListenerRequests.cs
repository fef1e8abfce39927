using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.Requests;

public sealed record AddHttpListener(HttpListenerConfig Listener) : ConfigRequest;

public sealed record AddHttpsListener(HttpsListenerConfig Listener) : ConfigRequest;

public sealed record AddTcpListener(TcpListenerConfig Listener) : ConfigRequest;

public sealed record RemoveListener(string Address, ListenerProtocol Proxy) : ConfigRequest;

/// <summary>Starts accepting on a listener. <see cref="FromScm"/>: the socket comes from an upgrade hand-over.</summary>
public sealed record ActivateListener(string Address, ListenerProtocol Proxy, bool FromScm = false) : ConfigRequest;

public sealed record DeactivateListener(string Address, ListenerProtocol Proxy, bool ToScm = false) : ConfigRequest;

/// <summary>A patch: null fields are left as they are.</summary>
public sealed record UpdateHttpListener : ConfigRequest
{
    public required string Address { get; init; }

    public string? PublicAddress { get; init; }

    public bool? ExpectProxy { get; init; }

    public string? StickyName { get; init; }

    public int? FrontTimeout { get; init; }

    public int? BackTimeout { get; init; }

    public int? ConnectTimeout { get; init; }

    public int? RequestTimeout { get; init; }

    public StringMap? Answers { get; init; }

    /// <summary>The listener with this patch's non-null fields applied (the state and the workers share it).</summary>
    public HttpListenerConfig ApplyTo(HttpListenerConfig listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return listener with
        {
            PublicAddress = PublicAddress ?? listener.PublicAddress,
            ExpectProxy = ExpectProxy ?? listener.ExpectProxy,
            StickyName = StickyName ?? listener.StickyName,
            FrontTimeout = FrontTimeout ?? listener.FrontTimeout,
            BackTimeout = BackTimeout ?? listener.BackTimeout,
            ConnectTimeout = ConnectTimeout ?? listener.ConnectTimeout,
            RequestTimeout = RequestTimeout ?? listener.RequestTimeout,
            Answers = Answers ?? listener.Answers,
        };
    }
}

public sealed record UpdateHttpsListener : ConfigRequest
{
    public required string Address { get; init; }

    public string? PublicAddress { get; init; }

    public bool? ExpectProxy { get; init; }

    public string? StickyName { get; init; }

    public int? FrontTimeout { get; init; }

    public int? BackTimeout { get; init; }

    public int? ConnectTimeout { get; init; }

    public int? RequestTimeout { get; init; }

    public StringMap? Answers { get; init; }

    public ValueList<TlsVersion>? Versions { get; init; }

    public ValueList<string>? CipherList { get; init; }

    public ValueList<string>? AlpnProtocols { get; init; }

    public HstsConfig? Hsts { get; init; }

    public HttpsListenerConfig ApplyTo(HttpsListenerConfig listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return listener with
        {
            PublicAddress = PublicAddress ?? listener.PublicAddress,
            ExpectProxy = ExpectProxy ?? listener.ExpectProxy,
            StickyName = StickyName ?? listener.StickyName,
            FrontTimeout = FrontTimeout ?? listener.FrontTimeout,
            BackTimeout = BackTimeout ?? listener.BackTimeout,
            ConnectTimeout = ConnectTimeout ?? listener.ConnectTimeout,
            RequestTimeout = RequestTimeout ?? listener.RequestTimeout,
            Answers = Answers ?? listener.Answers,
            Versions = Versions ?? listener.Versions,
            CipherList = CipherList ?? listener.CipherList,
            AlpnProtocols = AlpnProtocols ?? listener.AlpnProtocols,
            Hsts = Hsts ?? listener.Hsts,
        };
    }
}

public sealed record UpdateTcpListener : ConfigRequest
{
    public required string Address { get; init; }

    public string? PublicAddress { get; init; }

    public bool? ExpectProxy { get; init; }

    public int? FrontTimeout { get; init; }

    public int? BackTimeout { get; init; }

    public int? ConnectTimeout { get; init; }

    public TcpListenerConfig ApplyTo(TcpListenerConfig listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return listener with
        {
            PublicAddress = PublicAddress ?? listener.PublicAddress,
            ExpectProxy = ExpectProxy ?? listener.ExpectProxy,
            FrontTimeout = FrontTimeout ?? listener.FrontTimeout,
            BackTimeout = BackTimeout ?? listener.BackTimeout,
            ConnectTimeout = ConnectTimeout ?? listener.ConnectTimeout,
        };
    }
}
