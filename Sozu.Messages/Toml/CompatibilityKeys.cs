namespace Sozu.Messages.Toml;

/// <summary>
/// Keys of Sōzu's configuration that this product accepts so that an existing Sōzu file loads,
/// but does not act on (yet). Each present one is a warning; any key in neither these lists nor
/// the readers is an error.
/// </summary>
internal static class CompatibilityKeys
{
    public const string NotActedOn = "accepted for Sōzu compatibility; not acted on";

    public static readonly IReadOnlyList<string> Global =
    [
        "min_buffers", "command_buffer_size", "ctl_command_timeout", "pid_file_path", "log_colored",
        "handle_process_affinity", "automatic_state_save", "worker_timeout", "accept_queue_timeout",
        "evict_on_queue_full", "basic_auth_max_credential_bytes",
        "splice_pipe_capacity_bytes", "slab_entries_per_connection",
        "audit_logs_target", "audit_logs_json_target", "access_logs_format", "access_logs_colored",
        "disable_cluster_metrics", "tls_provider",
    ];

    public static readonly IReadOnlyList<string> Metrics = ["detail", "disable_cluster_metrics"];

    public static readonly IReadOnlyList<string> Listener =
    [
        "cipher_suites", "groups_list", "send_tls13_tickets", "sozu_id_header", "elide_x_real_ip",
        "send_x_real_ip", "rustls_cipher_list", "disable_http11",
        "h2_max_rst_stream_per_window", "h2_max_ping_per_window", "h2_max_settings_per_window",
        "h2_max_empty_data_per_window", "h2_max_window_update_stream0_per_window",
        "h2_max_continuation_frames", "h2_max_glitch_count", "h2_initial_connection_window",
        "h2_max_concurrent_streams", "h2_stream_shrink_ratio", "h2_max_rst_stream_lifetime",
        "h2_max_rst_stream_abusive_lifetime", "h2_max_rst_stream_emitted_lifetime",
        "h2_max_header_list_size", "h2_max_header_table_size", "h2_max_header_fields",
        "strict_sni_binding",
    ];

    public static readonly IReadOnlyList<string> Cluster =
    [
        "http2", "https_redirect_port", "authorized_hashes", "www_authenticate", "retry_after", "udp",
    ];

    public static readonly IReadOnlyList<string> Frontend =
    [
        "redirect", "redirect_scheme", "redirect_template", "rewrite_host", "rewrite_path",
        "rewrite_port", "required_auth", "headers",
    ];

    public static readonly IReadOnlyList<string> Hsts = ["force_replace_backend"];

    /// <summary>Custom answers a listener may replace, each read from the file named by "answer_NNN".</summary>
    public static readonly IReadOnlyList<string> AnswerCodes = ["301", "400", "401", "404", "408", "413", "421", "429", "502", "503", "504", "507"];
}
