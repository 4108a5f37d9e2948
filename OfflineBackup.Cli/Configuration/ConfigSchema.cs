namespace OfflineBackup.Configuration;

/// <summary>
/// Every section and key the loader accepts. Unknown keys are refused (a typo must not silently
/// fall back to a default), and this list is what the "did you mean" hints are drawn from.
/// config.example.yml documents the same keys; ExampleConfigTests keeps the two in step.
/// </summary>
internal static class ConfigSchema
{
    public static readonly IReadOnlyList<(string Section, bool Required, string[] Keys)> Sections =
    [
        ("mysql", true, ["host", "user", "port", "password", "db", "password_file", "option_file", "connect_timeout_seconds"]),
        ("instance", true, ["instance_id", "volume_id", "g_instance_name", "lock_filename", "tag_role", "tag_schema", "tag_environment", "retention_seconds", "availability_zone", "device_directory"]),
        ("aws", false, ["region", "endpoint_url", "request_timeout_seconds", "max_attempts"]),
        ("service", false, ["stop_command", "start_command", "stop_timeout_seconds", "start_timeout_seconds", "pid_file", "restart_after", "snapshot_wait_timeout_seconds", "snapshot_poll_seconds", "max_down_seconds", "preflush", "preflush_timeout_seconds"]),
        ("consistency", false, ["mode", "freeze_filesystem", "max_block_seconds"]),
        ("guards", false, ["max_lag_seconds", "min_snapshot_age_hours", "age_tolerance_minutes"]),
        ("retention", false, ["min_keep", "max_deletes", "adopt_legacy", "keep_daily", "keep_weekly", "keep_monthly", "timezone"]),
        ("copy", false, ["region", "kms_key_id", "endpoint_url", "retention_seconds", "min_keep", "max_deletes", "keep_daily", "keep_weekly", "keep_monthly", "timezone"]),
        ("state", false, ["journal_path"]),
        ("logging", false, ["file"]),
        ("metrics", false, ["textfile"]),
        ("drill", false, ["scratch_directory", "mysqld", "data_directory_on_volume", "buffer_pool_size", "count_tables", "every_days", "volume_timeout_seconds", "attach_timeout_seconds", "device_timeout_seconds", "start_timeout_seconds"]),
        ("restore", false, ["volume_timeout_seconds", "attach_timeout_seconds", "device_timeout_seconds"]),
    ];

    public static IEnumerable<string> SectionNames => Sections.Select(s => s.Section);

    public static string[] KeysOf(string section) => Sections.Single(s => s.Section == section).Keys;

    /// <summary>The sections that do own <paramref name="key"/> (some keys are in several), for keys written under the wrong heading.</summary>
    public static IReadOnlyList<string> OwnersOf(string key) =>
        [.. Sections.Where(s => s.Keys.Contains(key, StringComparer.Ordinal)).Select(s => s.Section)];
}
