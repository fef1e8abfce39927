namespace Sozu.Messages.Toml;

/// <summary>The tables of a configuration file whose keys are fixed (maps keyed by id or status code are not).</summary>
public enum ConfigSection
{
    Global,
    Metrics,
    Listener,
    Hsts,
    Cluster,
    HealthCheck,
    Frontend,
    Backend,
}

/// <summary>What the product does with a key of Sōzu's configuration file.</summary>
public enum KeyStatus
{
    /// <summary>Read and acted on.</summary>
    Acts,

    /// <summary>Refused with an error at its line: it grants, restricts, rewrites or redirects traffic (or changes who may use the command socket), and that is not implemented yet.</summary>
    Refused,

    /// <summary>Loads with a warning at its line: ignoring it changes nothing a client or an operator relies on (colours, another engine's tuning).</summary>
    Cosmetic,
}

/// <summary>One key of one section, with its status and why.</summary>
public sealed record ConfigKey(ConfigSection Section, string Key, KeyStatus Status, string Note);

/// <summary>
/// Every key of the configuration file, one table per status. The readers read the acting keys
/// (a reader asking for a key missing from <see cref="Acts"/> is a bug that fails the first test
/// to load it), refuse the refused ones and warn about the cosmetic ones from these tables, and
/// docs/config-keys.md is generated from them (a test fails when the file differs).
/// </summary>
public static class ConfigKeys
{
    public static readonly IReadOnlyList<ConfigKey> Acts =
    [
        .. Section(ConfigSection.Global, KeyStatus.Acts, [
            ("command_socket", "the JSON command socket's path"),
            ("command_allowed_uids", "uids (besides root and the supervisor's own) that may use the command socket; checked with SO_PEERCRED"),
            ("saved_state", "state file loaded at start, default path of save_state/load_state"),
            ("log_level", ""),
            ("log_target", "stdout, stderr, file://, udp://, unix://"),
            ("access_logs_target", "stdout, stderr, file://, udp://, unix://"),
            ("access_logs_format", "ascii only (Sōzu's layout); protobuf is refused"),
            ("worker_count", ""),
            ("worker_automatic_restart", ""),
            ("worker_standby", "warm standby processes (this product's)"),
            ("max_connections", "per worker"),
            ("max_buffers", "per worker"),
            ("buffer_size", "bytes"),
            ("activate_listeners", ""),
            ("front_timeout", "default of the listeners"),
            ("back_timeout", "default of the listeners"),
            ("connect_timeout", "default of the listeners"),
            ("request_timeout", "default of the listeners"),
            ("zombie_check_interval", ""),
            ("max_connections_per_ip", "default cap of every cluster, per worker"),
            ("retry_after", "Retry-After of the 429 over the per-IP cap"),
            ("max_incomplete_heads_per_ip", "request heads in progress one IP may hold, per worker; one more gets 408 (this product's slowloris defence; 0 disables)"),
            ("user", "started as root: the account supervisor and workers switch to once the listening sockets are open (HAProxy's key)"),
            ("group", "the group of that switch; the user's primary group without it (HAProxy's key)"),
            ("tls_ticket_rotation", "seconds between session-ticket key rotations, every worker sharing the keys (this product's)"),
            ("soft_stop_timeout", "seconds a soft stop lets sessions in flight finish (this product's)"),
            ("max_command_buffer_size", "the longest command line accepted"),
            ("metrics", "table"),
            ("listeners", "[[listeners]] tables"),
            ("clusters", "[clusters.ID] tables")]),
        .. Section(ConfigSection.Metrics, KeyStatus.Acts, [
            ("address", "statsd over UDP"),
            ("tagged_metrics", ""),
            ("prefix", ""),
            ("prometheus_address", "this product's Prometheus endpoint")]),
        .. Section(ConfigSection.Listener, KeyStatus.Acts, [
            ("protocol", "http, https, tcp"),
            ("address", ""),
            ("public_address", ""),
            ("expect_proxy", "PROXY protocol"),
            ("front_timeout", ""),
            ("back_timeout", ""),
            ("connect_timeout", ""),
            ("request_timeout", "http, https"),
            ("sticky_name", "http, https"),
            ("answers", "http, https: table of status → answer file"),
            .. AnswerKeys(),
            ("tls_versions", "https"),
            ("cipher_list", "https: OpenSSL, IANA or rustls names (TLS13_…), or OpenSSL cipher-string terms; unknown names are refused"),
            ("alpn_protocols", "https; h2 is dropped with a warning"),
            ("certificate", "https: default certificate"),
            ("key", "https"),
            ("certificate_chain", "https"),
            ("hsts", "https: table")]),
        .. Section(ConfigSection.Hsts, KeyStatus.Acts, [
            ("enabled", ""),
            ("max_age", ""),
            ("include_subdomains", ""),
            ("preload", "")]),
        .. Section(ConfigSection.Cluster, KeyStatus.Acts, [
            ("protocol", "http, tcp"),
            ("load_balancing", ""),
            ("load_metric", ""),
            ("sticky_session", "http"),
            ("https_redirect", "http"),
            ("send_proxy", "PROXY protocol"),
            ("expect_proxy", "PROXY protocol"),
            ("answer_503", "answer file"),
            ("answers", "table; only 503 per cluster"),
            ("max_connections_per_ip", ""),
            ("health_check", "table"),
            ("frontends", ""),
            ("backends", "")]),
        .. Section(ConfigSection.HealthCheck, KeyStatus.Acts, [
            ("uri", ""),
            ("interval", ""),
            ("timeout", ""),
            ("healthy_threshold", ""),
            ("unhealthy_threshold", ""),
            ("expected_status", "")]),
        .. Section(ConfigSection.Frontend, KeyStatus.Acts, [
            ("address", ""),
            ("hostname", "http"),
            ("path", "http"),
            ("path_begin", "http; Sōzu's old name of path"),
            ("path_type", "http"),
            ("method", "http"),
            ("position", "http"),
            ("certificate", "https"),
            ("key", "https"),
            ("certificate_chain", "https"),
            ("tls_versions", "https"),
            ("tags", ""),
            ("hsts", "https: table"),
            ("sticky_session", "http: lifted to the cluster"),
            ("https_redirect", "http: lifted to the cluster")]),
        .. Section(ConfigSection.Backend, KeyStatus.Acts, [
            ("address", ""),
            ("backend_id", ""),
            ("weight", ""),
            ("sticky_id", ""),
            ("backup", "")]),
    ];

    public static readonly IReadOnlyList<ConfigKey> Refused =
    [
        .. Section(ConfigSection.Global, KeyStatus.Refused, [
            ("pid_file_path", "no pid file is written"),
            ("automatic_state_save", "the state is saved on request only"),
            ("accept_queue_timeout", "queued connections are not dropped by age"),
            ("evict_on_queue_full", "no eviction of idle sessions"),
            ("basic_auth_max_credential_bytes", "no basic authentication"),
            ("audit_logs_target", "no audit log"),
            ("audit_logs_json_target", "no audit log")]),
        .. Section(ConfigSection.Listener, KeyStatus.Refused, [
            ("cipher_suites", "TLS suites are given with cipher_list"),
            ("rustls_cipher_list", "TLS suites are given with cipher_list"),
            ("groups_list", "the key exchange groups are OpenSSL's defaults"),
            ("sozu_id_header", "the request id header is not renamed"),
            ("elide_x_real_ip", "X-Real-IP is not rewritten"),
            ("send_x_real_ip", "X-Real-IP is not sent"),
            ("disable_http11", "HTTP/1.1 is always served"),
            ("strict_sni_binding", "Host is not checked against the certificate (no 421)")]),
        .. Section(ConfigSection.Hsts, KeyStatus.Refused, [
            ("force_replace_backend", "a backend's Strict-Transport-Security is not replaced")]),
        .. Section(ConfigSection.Cluster, KeyStatus.Refused, [
            ("http2", "no h2c to backends"),
            ("https_redirect_port", "the redirect keeps the default port"),
            ("authorized_hashes", "no basic authentication"),
            ("www_authenticate", "no basic authentication"),
            ("retry_after", "per-cluster Retry-After (the global retry_after acts)"),
            ("udp", "no UDP")]),
        .. Section(ConfigSection.Frontend, KeyStatus.Refused, [
            ("redirect", "no per-frontend redirects"),
            ("redirect_scheme", "no per-frontend redirects"),
            ("redirect_template", "no per-frontend redirects"),
            ("rewrite_host", "no rewrites"),
            ("rewrite_path", "no rewrites"),
            ("rewrite_port", "no rewrites"),
            ("required_auth", "no basic authentication"),
            ("headers", "no header edits")]),
    ];

    public static readonly IReadOnlyList<ConfigKey> Cosmetic =
    [
        .. Section(ConfigSection.Global, KeyStatus.Cosmetic, [
            ("log_colored", "colours of log lines"),
            ("access_logs_colored", "colours of access log lines"),
            ("min_buffers", "Sōzu's pool preallocation; buffers here are leased as needed up to max_buffers"),
            ("command_buffer_size", "Sōzu's command channel buffer; max_command_buffer_size bounds a line"),
            ("ctl_command_timeout", "Sōzu's CLI timeout"),
            ("worker_timeout", "Sōzu's worker answer timeout; workers here are watched by a ping"),
            ("handle_process_affinity", "CPU pinning of Sōzu's workers"),
            ("splice_pipe_capacity_bytes", "Sōzu's splice(2) pipe size"),
            ("slab_entries_per_connection", "Sōzu's session slab sizing"),
            ("disable_cluster_metrics", "per-cluster metrics volume"),
            ("tls_provider", "Sōzu's rustls crypto provider")]),
        .. Section(ConfigSection.Metrics, KeyStatus.Cosmetic, [
            ("detail", "metrics volume"),
            ("disable_cluster_metrics", "metrics volume")]),
        .. Section(ConfigSection.Listener, KeyStatus.Cosmetic, [
            ("send_tls13_tickets", "rustls's ticket count"),
            .. H2Knobs()]),
    ];

    /// <summary>Every key of every status.</summary>
    public static IEnumerable<ConfigKey> All => Acts.Concat(Refused).Concat(Cosmetic);

    /// <summary>Custom answers a listener may replace, each read from the file named by "answer_NNN".</summary>
    public static readonly IReadOnlyList<string> AnswerCodes = ["301", "400", "401", "404", "408", "413", "421", "429", "502", "503", "504", "507"];

    public static ConfigKey? Find(ConfigSection section, string key)
    {
        foreach (var entry in All)
        {
            if (entry.Section == section && entry.Key == key)
            {
                return entry;
            }
        }
        return null;
    }

    private static IEnumerable<ConfigKey> Section(ConfigSection section, KeyStatus status, IEnumerable<(string Key, string Note)> keys)
    {
        foreach (var (key, note) in keys)
        {
            yield return new ConfigKey(section, key, status, note);
        }
    }

    private static IEnumerable<(string, string)> AnswerKeys()
    {
        foreach (var code in new[] { "301", "400", "401", "404", "408", "413", "421", "429", "502", "503", "504", "507" })
        {
            yield return ("answer_" + code, "http, https: answer file");
        }
    }

    /// <summary>HTTP/2 is not served (alpn drops h2), so its limits have nothing to limit.</summary>
    private static IEnumerable<(string, string)> H2Knobs()
    {
        foreach (var key in new[]
        {
            "h2_max_rst_stream_per_window", "h2_max_ping_per_window", "h2_max_settings_per_window",
            "h2_max_empty_data_per_window", "h2_max_window_update_stream0_per_window",
            "h2_max_continuation_frames", "h2_max_glitch_count", "h2_initial_connection_window",
            "h2_max_concurrent_streams", "h2_stream_shrink_ratio", "h2_max_rst_stream_lifetime",
            "h2_max_rst_stream_abusive_lifetime", "h2_max_rst_stream_emitted_lifetime",
            "h2_max_header_list_size", "h2_max_header_table_size", "h2_max_header_fields",
        })
        {
            yield return (key, "HTTP/2 limits; HTTP/2 is not served");
        }
    }
}
