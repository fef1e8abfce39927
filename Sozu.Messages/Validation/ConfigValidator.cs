using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Messages.Validation;

/// <summary>
/// The one field validation of the configuration records, independent of any state (the state
/// checks references and duplicates). The TOML reader, <c>ConfigState.Apply</c> and the worker
/// all ask it, so a record the supervisor accepts is never refused by a worker for its fields.
/// <c>Errors</c> returns every problem (not the first), each naming its field; <c>Validate</c>
/// joins them in one message, or null when the record is valid.
/// </summary>
public static class ConfigValidator
{
    public static string? Validate(Cluster? cluster) => Join(Errors(cluster));

    public static string? Validate(HealthCheckConfig? check) => Join(Errors(check, "health_check"));

    public static string? Validate(Backend? backend) => Join(Errors(backend));

    public static string? Validate(ListenerConfig? listener) => Join(Errors(listener));

    public static string? Validate(HttpFrontend? frontend, bool https) => Join(Errors(frontend, https));

    public static string? Validate(TcpFrontend? frontend) => Join(Errors(frontend));

    public static ValueList<FieldError> Errors(Cluster? cluster)
    {
        if (cluster is null)
        {
            return One("cluster", "cluster must not be null");
        }
        var errors = new List<FieldError>();
        Check(errors, "cluster_id", Fields.Id("cluster_id", cluster.ClusterId));
        Check(errors, "load_balancing", Fields.Defined("load_balancing", cluster.LoadBalancing));
        Check(errors, "load_metric", cluster.LoadMetric is { } metric ? Fields.Defined("load_metric", metric) : null);
        Check(errors, "proxy_protocol", cluster.ProxyProtocol is { } proxy ? Fields.Defined("proxy_protocol", proxy) : null);
        Check(errors, "max_connections_per_ip", cluster.MaxConnectionsPerIp is { } max ? Fields.NonNegative("max_connections_per_ip", max) : null);
        Check(errors, "answer_503", cluster.Answer503 is { Length: 0 } ? "answer_503 must not be empty when given" : null);
        errors.AddRange(Errors(cluster.HealthCheck, "health_check"));
        return ValueList<FieldError>.From(errors);
    }

    /// <param name="prefix">The field naming the health check in its container ("health_check").</param>
    public static ValueList<FieldError> Errors(HealthCheckConfig? check, string prefix)
    {
        if (check is null)
        {
            return ValueList<FieldError>.Empty;
        }
        var errors = new List<FieldError>();
        // The probe writes the uri into its request line as is: a space or a control character would break it.
        Check(errors, prefix + ".uri", check.Uri is { Length: > 0 } && check.Uri[0] == '/' && !HasSpaceOrControl(check.Uri)
            ? null
            : $"{prefix}.uri '{check.Uri}' must be a path starting with '/', without spaces or control characters");
        Check(errors, prefix + ".interval", Fields.Positive(prefix + ".interval", check.IntervalSeconds));
        Check(errors, prefix + ".timeout", Fields.Positive(prefix + ".timeout", check.TimeoutSeconds));
        Check(errors, prefix + ".healthy_threshold", Fields.Positive(prefix + ".healthy_threshold", check.HealthyThreshold));
        Check(errors, prefix + ".unhealthy_threshold", Fields.Positive(prefix + ".unhealthy_threshold", check.UnhealthyThreshold));
        Check(errors, prefix + ".expected_status", check.ExpectedStatus == 0 || check.ExpectedStatus is >= 100 and <= 599
            ? null
            : $"{prefix}.expected_status must be 0 (any 2xx) or an HTTP status, got {check.ExpectedStatus}");
        return ValueList<FieldError>.From(errors);
    }

    public static ValueList<FieldError> Errors(Backend? backend)
    {
        if (backend is null)
        {
            return One("backend", "backend must not be null");
        }
        var errors = new List<FieldError>();
        Check(errors, "cluster_id", Fields.Id("cluster_id", backend.ClusterId));
        Check(errors, "backend_id", Fields.Id("backend_id", backend.BackendId));
        Check(errors, "address", SocketAddressText.Check("address", backend.Address));
        Check(errors, "weight", Fields.NonNegative("weight", backend.Weight));
        Check(errors, "sticky_id", backend.StickyId is null ? null : Fields.Token("sticky_id", backend.StickyId));
        return ValueList<FieldError>.From(errors);
    }

    public static ValueList<FieldError> Errors(ListenerConfig? listener)
    {
        if (listener is null)
        {
            return One("listener", "listener must not be null");
        }
        var errors = new List<FieldError>();
        Check(errors, "address", SocketAddressText.Check("address", listener.Address));
        Check(errors, "public_address", listener.PublicAddress is null ? null : SocketAddressText.Check("public_address", listener.PublicAddress));
        Check(errors, "front_timeout", Fields.Positive("front_timeout", listener.FrontTimeout));
        Check(errors, "back_timeout", Fields.Positive("back_timeout", listener.BackTimeout));
        Check(errors, "connect_timeout", Fields.Positive("connect_timeout", listener.ConnectTimeout));
        switch (listener)
        {
            case HttpListenerConfig http:
                CheckHttp(errors, http.StickyName, http.RequestTimeout, http.Answers);
                break;
            case HttpsListenerConfig https:
                CheckHttp(errors, https.StickyName, https.RequestTimeout, https.Answers);
                CheckTls(errors, https);
                break;
            case TcpListenerConfig:
                break;
            default:
                Check(errors, "protocol", $"unknown listener type {listener.GetType().Name}");
                break;
        }
        return ValueList<FieldError>.From(errors);
    }

    public static ValueList<FieldError> Errors(HttpFrontend? frontend, bool https)
    {
        if (frontend is null)
        {
            return One("frontend", "frontend must not be null");
        }
        var errors = new List<FieldError>();
        Check(errors, "cluster_id", frontend.ClusterId is null ? null : Fields.Id("cluster_id", frontend.ClusterId));
        Check(errors, "address", SocketAddressText.Check("address", frontend.Address));
        Check(errors, "hostname", Hostname.Check("hostname", frontend.Hostname));
        Check(errors, "path", PathRules.Check("path", frontend.Path));
        Check(errors, "method", frontend.Method is null ? null : Fields.Token("method", frontend.Method));
        Check(errors, "position", Fields.Defined("position", frontend.Position));
        CheckTags(errors, frontend.Tags);
        Check(errors, "hsts", frontend.Hsts is not null && !https ? "hsts is only allowed on an HTTPS frontend" : null);
        CheckHsts(errors, "hsts", frontend.Hsts);
        return ValueList<FieldError>.From(errors);
    }

    public static ValueList<FieldError> Errors(TcpFrontend? frontend)
    {
        if (frontend is null)
        {
            return One("frontend", "frontend must not be null");
        }
        var errors = new List<FieldError>();
        Check(errors, "cluster_id", Fields.Id("cluster_id", frontend.ClusterId));
        Check(errors, "address", SocketAddressText.Check("address", frontend.Address));
        CheckTags(errors, frontend.Tags);
        return ValueList<FieldError>.From(errors);
    }

    private static void CheckHttp(List<FieldError> errors, string? stickyName, int requestTimeout, StringMap? answers)
    {
        Check(errors, "sticky_name", Fields.Token("sticky_name", stickyName));
        Check(errors, "request_timeout", Fields.Positive("request_timeout", requestTimeout));
        if (answers is null)
        {
            Check(errors, "answers", "answers must not be null");
            return;
        }
        foreach (var (status, answer) in answers)
        {
            Check(errors, "answers", Fields.StatusCode("answers", status));
            Check(errors, "answers", string.IsNullOrEmpty(answer) ? $"answers[{status}] must not be empty" : null);
        }
    }

    private static void CheckTls(List<FieldError> errors, HttpsListenerConfig https)
    {
        if (https.Versions is null || https.CipherList is null || https.AlpnProtocols is null)
        {
            Check(errors, "versions", "versions, cipher_list and alpn_protocols must not be null");
            return;
        }
        foreach (var version in https.Versions)
        {
            Check(errors, "versions", Fields.Defined("versions", version));
        }
        foreach (var cipher in https.CipherList)
        {
            Check(errors, "cipher_list", string.IsNullOrWhiteSpace(cipher) ? "cipher_list holds an empty cipher name" : CipherNames.Check("cipher_list", cipher));
        }
        foreach (var protocol in https.AlpnProtocols)
        {
            Check(errors, "alpn_protocols", string.IsNullOrEmpty(protocol) || protocol.Length > 255 ? $"alpn_protocols holds an invalid protocol name '{protocol}'" : null);
        }
        CheckHsts(errors, "hsts", https.Hsts);
    }

    private static void CheckHsts(List<FieldError> errors, string field, HstsConfig? hsts) =>
        Check(errors, field + ".max_age", hsts is null ? null : Fields.NonNegative($"{field}.max_age", hsts.MaxAge));

    private static void CheckTags(List<FieldError> errors, StringMap? tags)
    {
        if (tags is null)
        {
            Check(errors, "tags", "tags must not be null");
            return;
        }
        foreach (var (key, value) in tags)
        {
            Check(errors, "tags", string.IsNullOrEmpty(key) || value is null ? $"tags hold an empty key or a null value ('{key}')" : null);
        }
    }

    private static bool HasSpaceOrControl(string text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c == '\u007f')
            {
                return true;
            }
        }
        return false;
    }

    private static void Check(List<FieldError> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors.Add(new FieldError(field, message));
        }
    }

    private static ValueList<FieldError> One(string field, string message) => ValueList<FieldError>.Of(new FieldError(field, message));

    private static string? Join(ValueList<FieldError> errors)
    {
        if (errors.Count == 0)
        {
            return null;
        }
        var messages = new string[errors.Count];
        for (var i = 0; i < errors.Count; i++)
        {
            messages[i] = errors[i].Message;
        }
        return string.Join("; ", messages);
    }
}
