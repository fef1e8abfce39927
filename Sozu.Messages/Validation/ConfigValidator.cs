using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.Validation;

/// <summary>
/// Field validation of the configuration records, independent of any state (the state checks
/// references and duplicates). Each method returns null when valid, else the first error,
/// naming the field and the offending value.
/// </summary>
public static class ConfigValidator
{
    public static string? Validate(Cluster? cluster)
    {
        if (cluster is null)
        {
            return "cluster must not be null";
        }
        return Fields.Id("cluster_id", cluster.ClusterId)
            ?? Fields.Defined("load_balancing", cluster.LoadBalancing)
            ?? (cluster.LoadMetric is { } metric ? Fields.Defined("load_metric", metric) : null)
            ?? (cluster.ProxyProtocol is { } proxy ? Fields.Defined("proxy_protocol", proxy) : null)
            ?? (cluster.MaxConnectionsPerIp is { } max ? Fields.NonNegative("max_connections_per_ip", max) : null)
            ?? (cluster.Answer503 is { Length: 0 } ? "answer_503 must not be empty when given" : null)
            ?? Validate(cluster.HealthCheck);
    }

    public static string? Validate(HealthCheckConfig? check)
    {
        if (check is null)
        {
            return null;
        }
        return (check.Uri is { Length: > 0 } && check.Uri[0] == '/' ? null : $"health_check.uri '{check.Uri}' must start with '/'")
            ?? Fields.Positive("health_check.interval", check.IntervalSeconds)
            ?? Fields.Positive("health_check.timeout", check.TimeoutSeconds)
            ?? Fields.Positive("health_check.healthy_threshold", check.HealthyThreshold)
            ?? Fields.Positive("health_check.unhealthy_threshold", check.UnhealthyThreshold)
            ?? (check.ExpectedStatus == 0 || check.ExpectedStatus is >= 100 and <= 599
                ? null
                : $"health_check.expected_status must be 0 (any 2xx) or an HTTP status, got {check.ExpectedStatus}");
    }

    public static string? Validate(Backend? backend)
    {
        if (backend is null)
        {
            return "backend must not be null";
        }
        return Fields.Id("cluster_id", backend.ClusterId)
            ?? Fields.Id("backend_id", backend.BackendId)
            ?? SocketAddressText.Check("address", backend.Address)
            ?? Fields.NonNegative("weight", backend.Weight)
            ?? (backend.StickyId is null ? null : Fields.Token("sticky_id", backend.StickyId));
    }

    public static string? Validate(ListenerConfig? listener)
    {
        if (listener is null)
        {
            return "listener must not be null";
        }
        var common = SocketAddressText.Check("address", listener.Address)
            ?? (listener.PublicAddress is null ? null : SocketAddressText.Check("public_address", listener.PublicAddress))
            ?? Fields.Positive("front_timeout", listener.FrontTimeout)
            ?? Fields.Positive("back_timeout", listener.BackTimeout)
            ?? Fields.Positive("connect_timeout", listener.ConnectTimeout);
        if (common is not null)
        {
            return common;
        }
        return listener switch
        {
            HttpListenerConfig http => ValidateHttp(http.StickyName, http.RequestTimeout, http.Answers),
            HttpsListenerConfig https => ValidateHttp(https.StickyName, https.RequestTimeout, https.Answers)
                ?? ValidateTls(https),
            TcpListenerConfig => null,
            _ => $"unknown listener type {listener.GetType().Name}",
        };
    }

    public static string? Validate(HttpFrontend? frontend, bool https)
    {
        if (frontend is null)
        {
            return "frontend must not be null";
        }
        return (frontend.ClusterId is null ? null : Fields.Id("cluster_id", frontend.ClusterId))
            ?? SocketAddressText.Check("address", frontend.Address)
            ?? Hostname.Check("hostname", frontend.Hostname)
            ?? PathRules.Check("path", frontend.Path)
            ?? (frontend.Method is null ? null : Fields.Token("method", frontend.Method))
            ?? Fields.Defined("position", frontend.Position)
            ?? ValidateTags(frontend.Tags)
            ?? (frontend.Hsts is not null && !https ? "hsts is only allowed on an HTTPS frontend" : null)
            ?? ValidateHsts("hsts", frontend.Hsts);
    }

    public static string? Validate(TcpFrontend? frontend)
    {
        if (frontend is null)
        {
            return "frontend must not be null";
        }
        return Fields.Id("cluster_id", frontend.ClusterId)
            ?? SocketAddressText.Check("address", frontend.Address)
            ?? ValidateTags(frontend.Tags);
    }

    private static string? ValidateHttp(string? stickyName, int requestTimeout, StringMap? answers)
    {
        var error = Fields.Token("sticky_name", stickyName) ?? Fields.Positive("request_timeout", requestTimeout);
        if (error is not null)
        {
            return error;
        }
        if (answers is null)
        {
            return "answers must not be null";
        }
        foreach (var (status, answer) in answers)
        {
            if (Fields.StatusCode("answers", status) is { } statusError)
            {
                return statusError;
            }
            if (string.IsNullOrEmpty(answer))
            {
                return $"answers[{status}] must not be empty";
            }
        }
        return null;
    }

    private static string? ValidateTls(HttpsListenerConfig https)
    {
        if (https.Versions is null || https.CipherList is null || https.AlpnProtocols is null)
        {
            return "versions, cipher_list and alpn_protocols must not be null";
        }
        foreach (var version in https.Versions)
        {
            if (Fields.Defined("versions", version) is { } error)
            {
                return error;
            }
        }
        foreach (var cipher in https.CipherList)
        {
            if (string.IsNullOrWhiteSpace(cipher))
            {
                return "cipher_list holds an empty cipher name";
            }
        }
        foreach (var protocol in https.AlpnProtocols)
        {
            if (string.IsNullOrEmpty(protocol) || protocol.Length > 255)
            {
                return $"alpn_protocols holds an invalid protocol name '{protocol}'";
            }
        }
        return ValidateHsts("hsts", https.Hsts);
    }

    private static string? ValidateHsts(string field, HstsConfig? hsts) =>
        hsts is null ? null : Fields.NonNegative($"{field}.max_age", hsts.MaxAge);

    private static string? ValidateTags(StringMap? tags)
    {
        if (tags is null)
        {
            return "tags must not be null";
        }
        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                return $"tags hold an empty key or a null value ('{key}')";
            }
        }
        return null;
    }
}
