using System.Globalization;
using System.Text.RegularExpressions;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Validation;

namespace Sozu.Messages.Toml;

/// <summary>A frontend read from a cluster, with where its address was written (to report a listener mismatch there).</summary>
internal sealed record FrontendEntry(
    string Address,
    HttpFrontend? Http,
    TcpFrontend? Tcp,
    CertificateAndKey? Certificate,
    SourceLocation AddressAt,
    string AddressKey);

internal sealed record ClusterEntry(Cluster Cluster, bool IsHttp, bool ExpectProxy, ValueList<Backend> Backends, ValueList<FrontendEntry> Frontends);

/// <summary>One [clusters.ID] table → a cluster, its backends and its frontends.</summary>
internal static class ClusterReader
{
    private static readonly string[] HttpOnlyFrontendKeys =
        ["hostname", "path", "path_begin", "path_type", "method", "certificate", "key", "certificate_chain", "tls_versions", "position", "hsts", "sticky_session", "https_redirect"];

    public static ClusterEntry? Read(TomlSection section, string clusterId)
    {
        if (clusterId.Trim().Length == 0)
        {
            section.Context.Error(section.Location, section.Path, "a cluster id must not be empty");
            return null;
        }
        if (!section.Has("protocol"))
        {
            section.MarkKnown("protocol");
            section.Context.Error(section.Location, section.KeyPath("protocol"), "missing; expected http or tcp");
            return null;
        }
        var isHttp = section.Enum("protocol", TomlNames.ClusterProtocolIsHttp);
        if (isHttp is null)
        {
            return null;
        }
        var sendProxy = section.Bool("send_proxy") ?? false;
        var expectProxy = section.Bool("expect_proxy") ?? false;
        var stickySession = section.Bool("sticky_session") ?? false;
        var httpsRedirect = section.Bool("https_redirect") ?? false;
        if (isHttp == false)
        {
            if (stickySession)
            {
                section.Error("sticky_session", "is not valid on a tcp cluster");
            }
            if (httpsRedirect)
            {
                section.Error("https_redirect", "is not valid on a tcp cluster");
            }
        }
        else if (expectProxy)
        {
            // An http cluster is reached through several listeners: whether a connection starts with a header is the listener's to say.
            section.Error("expect_proxy", "is a listener setting for http clusters: set expect_proxy = true on the http or https listener");
        }

        var frontends = new List<FrontendEntry>();
        foreach (var frontend in section.TableList("frontends", ConfigSection.Frontend) ?? [])
        {
            var entry = isHttp == true
                ? ReadHttpFrontend(frontend, clusterId, ref stickySession, ref httpsRedirect)
                : ReadTcpFrontend(frontend, clusterId);
            if (entry is not null)
            {
                frontends.Add(entry);
            }
        }
        if (!section.Has("frontends"))
        {
            section.Warning("frontends", "the cluster has no frontend: no traffic reaches it");
        }

        var backends = ReadBackends(section, clusterId);
        var cluster = new Cluster
        {
            ClusterId = clusterId,
            LoadBalancing = section.Enum("load_balancing", TomlNames.LoadBalancing) ?? LoadBalancingAlgorithm.RoundRobin,
            LoadMetric = section.Enum("load_metric", TomlNames.LoadMetrics),
            StickySession = stickySession,
            HttpsRedirect = httpsRedirect,
            // send_proxy: tcp and http clusters alike (Sōzu ignores it on http, #1221; we send it).
            ProxyProtocol = ProxyProtocol(sendProxy, expectProxy && isHttp == false),
            Answer503 = FileReferences.ReadText(section, "answer_503") ?? ReadAnswersTable(section),
            MaxConnectionsPerIp = section.Int("max_connections_per_ip"),
            HealthCheck = ReadHealthCheck(section),
        };
        section.ReportUnknownKeys();
        ValidationReport.Report(section, ConfigValidator.Errors(cluster));
        return new ClusterEntry(cluster, isHttp.Value, expectProxy, backends, ValueList<FrontendEntry>.From(frontends));
    }

    /// <summary>Expecting and sending the header at once is relaying it.</summary>
    public static ProxyProtocolConfig? ProxyProtocol(bool send, bool expect) => (send, expect) switch
    {
        (true, true) => ProxyProtocolConfig.RelayHeader,
        (true, false) => ProxyProtocolConfig.SendHeader,
        (false, true) => ProxyProtocolConfig.ExpectHeader,
        _ => null,
    };

    /// <summary>Sōzu 2's per-cluster [answers] map; only the 503 has a place in a cluster here.</summary>
    private static string? ReadAnswersTable(TomlSection section)
    {
        var table = section.Table("answers");
        if (table is null)
        {
            return null;
        }
        string? answer503 = null;
        foreach (var code in table.TakeAllKeys())
        {
            if (code == "503")
            {
                answer503 = FileReferences.ReadText(table, code);
            }
            else
            {
                table.Error(code, "only the 503 answer can be replaced per cluster (listeners take the others)");
            }
        }
        return answer503;
    }

    private static FrontendEntry? ReadHttpFrontend(TomlSection frontend, string clusterId, ref bool stickySession, ref bool httpsRedirect)
    {
        var address = AddressText.Read(frontend, "address", required: true);
        var hostname = frontend.NonEmptyString("hostname");
        if (hostname is null && !frontend.Has("hostname"))
        {
            frontend.Context.Error(frontend.Location, frontend.KeyPath("hostname"), "missing; an http frontend needs a hostname (\"*\" matches any)");
        }
        else if (hostname is not null && hostname.Contains(' ', StringComparison.Ordinal))
        {
            frontend.Error("hostname", $"\"{hostname}\" is not a host name");
            hostname = null;
        }
        var path = ReadPath(frontend);
        var versions = ReadFrontendTlsVersions(frontend);
        var certificate = FileReferences.ReadCertificateAndKey(frontend, versions);
        var tags = frontend.StringMap("tags") ?? StringMap.Empty;
        var position = frontend.Enum("position", TomlNames.Positions) ?? RulePosition.Tree;
        var method = frontend.NonEmptyString("method");
        var hsts = HstsReader.Read(frontend);

        // Sōzu's old sample documented these on frontends; they are cluster settings, so they lift to it.
        if (frontend.Bool("sticky_session") is true)
        {
            stickySession = true;
            frontend.Warning("sticky_session", "is a cluster setting; applied to the whole cluster");
        }
        if (frontend.Bool("https_redirect") is true)
        {
            httpsRedirect = true;
            frontend.Warning("https_redirect", "is a cluster setting; applied to the whole cluster");
        }
        frontend.ReportUnknownKeys();
        if (address is null || hostname is null || path is null)
        {
            return null;
        }
        var http = new HttpFrontend
        {
            ClusterId = clusterId,
            Address = address,
            Hostname = hostname,
            Path = path,
            Method = method,
            Position = position,
            Tags = tags,
            Hsts = hsts,
        };
        // https: true, since whether it is https depends on its listener (Bind checks hsts there).
        ValidationReport.Report(frontend, ConfigValidator.Errors(http, https: true));
        return new FrontendEntry(address, http, null, certificate, frontend.LocationOf("address"), frontend.KeyPath("address"));
    }

    private static FrontendEntry? ReadTcpFrontend(TomlSection frontend, string clusterId)
    {
        var address = AddressText.Read(frontend, "address", required: true);
        var tags = frontend.StringMap("tags") ?? StringMap.Empty;
        foreach (var key in HttpOnlyFrontendKeys)
        {
            if (frontend.Has(key))
            {
                frontend.MarkKnown(key);
                frontend.Error(key, "is not valid on a tcp cluster's frontend");
            }
        }
        frontend.ReportUnknownKeys();
        if (address is null)
        {
            return null;
        }
        var tcp = new TcpFrontend { ClusterId = clusterId, Address = address, Tags = tags };
        ValidationReport.Report(frontend, ConfigValidator.Errors(tcp));
        return new FrontendEntry(address, null, tcp, null, frontend.LocationOf("address"), frontend.KeyPath("address"));
    }

    private static PathRule? ReadPath(TomlSection frontend)
    {
        var kind = frontend.Enum("path_type", TomlNames.PathTypes) ?? PathRuleKind.Prefix;
        var key = frontend.Has("path") ? "path" : "path_begin";
        var value = frontend.String(key);
        if (frontend.Has("path") && frontend.Has("path_begin"))
        {
            frontend.MarkKnown("path_begin");
            frontend.Error("path_begin", "is the old name of \"path\"; give only one");
            return null;
        }
        if (value is null)
        {
            if (frontend.Has(key))
            {
                return null;
            }
            return kind == PathRuleKind.Prefix ? PathRule.Root : MissingPath(frontend);
        }
        if (kind == PathRuleKind.Regex)
        {
            try
            {
                _ = new Regex(value, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                frontend.Error(key, $"is not a valid regular expression: {e.Message}");
                return null;
            }
        }
        else if (!value.StartsWith('/'))
        {
            frontend.Error(key, $"\"{value}\" must start with '/'");
            return null;
        }
        return new PathRule(kind, value);
    }

    private static PathRule? MissingPath(TomlSection frontend)
    {
        frontend.Error("path_type", "needs a \"path\"");
        return null;
    }

    private static ValueList<TlsVersion> ReadFrontendTlsVersions(TomlSection frontend)
    {
        var names = frontend.StringList("tls_versions");
        if (names is null)
        {
            return ValueList<TlsVersion>.Empty;
        }
        var versions = new List<TlsVersion>();
        foreach (var name in names)
        {
            if (!ListenerReader.TryTlsVersion(name, out var version))
            {
                frontend.Error("tls_versions", $"unsupported TLS version \"{name}\"; expected TLS_V12 or TLS_V13");
                return ValueList<TlsVersion>.Empty;
            }
            versions.Add(version);
        }
        return ValueList<TlsVersion>.From(versions);
    }

    private static ValueList<Backend> ReadBackends(TomlSection section, string clusterId)
    {
        var backends = new List<Backend>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var list = section.TableList("backends", ConfigSection.Backend);
        if (list is null)
        {
            if (!section.Has("backends"))
            {
                section.Warning("backends", "the cluster has no backend: its requests get 503");
            }
            return ValueList<Backend>.Empty;
        }
        for (var i = 0; i < list.Count; i++)
        {
            var backend = list[i];
            var address = AddressText.Read(backend, "address", required: true);
            var backendId = backend.NonEmptyString("backend_id") ?? string.Create(CultureInfo.InvariantCulture, $"{clusterId}-{i}");
            var weight = backend.Int("weight", min: 0, max: 100_000) ?? Defaults.BackendWeight;
            var stickyId = backend.NonEmptyString("sticky_id");
            var backup = backend.Bool("backup") ?? false;
            backend.ReportUnknownKeys();
            if (!ids.Add(backendId))
            {
                backend.Error(backend.Has("backend_id") ? "backend_id" : "address", $"backend id \"{backendId}\" is used twice in cluster {clusterId}");
                continue;
            }
            if (address is null)
            {
                continue;
            }
            var read = new Backend
            {
                ClusterId = clusterId,
                BackendId = backendId,
                Address = address,
                Weight = weight,
                StickyId = stickyId,
                Backup = backup,
            };
            ValidationReport.Report(backend, ConfigValidator.Errors(read));
            backends.Add(read);
        }
        return ValueList<Backend>.From(backends);
    }

    private static HealthCheckConfig? ReadHealthCheck(TomlSection section)
    {
        var table = section.Table("health_check", ConfigSection.HealthCheck);
        if (table is null)
        {
            return null;
        }
        var defaults = new HealthCheckConfig();
        // Its rules are ConfigValidator's, reported at their keys by Read.
        var uri = table.NonEmptyString("uri") ?? defaults.Uri;
        var check = new HealthCheckConfig
        {
            Uri = uri,
            IntervalSeconds = table.Int("interval", min: 1) ?? defaults.IntervalSeconds,
            TimeoutSeconds = table.Int("timeout", min: 1) ?? defaults.TimeoutSeconds,
            HealthyThreshold = table.Int("healthy_threshold", min: 1) ?? defaults.HealthyThreshold,
            UnhealthyThreshold = table.Int("unhealthy_threshold", min: 1) ?? defaults.UnhealthyThreshold,
            ExpectedStatus = table.Int("expected_status", min: 0, max: 599) ?? defaults.ExpectedStatus,
        };
        table.ReportUnknownKeys();
        return check;
    }
}
