namespace OfflineBackup.Metrics;

/// <summary>One metric family the tool writes: its name, help text and labels besides volume_id and instance_id.</summary>
public sealed record MetricFamily(string Name, string Help, params string[] Labels);

/// <summary>
/// Every metric in the textfile. Names and labels are a contract with the alert rules in
/// deploy/prometheus/offline-backup.rules.yml and the README's "Monitoring" table: never rename.
/// Help texts must not hold a backslash or a newline (the text format would need escapes).
/// One family a line, as a table: name, help, labels.
/// </summary>
public static class MetricCatalog
{
    public const string VolumeLabel = "volume_id";
    public const string InstanceLabel = "instance_id";

    public static readonly MetricFamily LastRunTimestamp = new("offline_backup_last_run_timestamp_seconds", "When the last invocation of the command finished (Unix time).", "command");

    public static readonly MetricFamily LastRunExitCode = new("offline_backup_last_run_exit_code", "Exit code of the last invocation of the command (README: Exit codes).", "command");

    public static readonly MetricFamily ConsecutiveFailures = new("offline_backup_consecutive_failures", "Invocations of the command in a row that exited with a code other than 0 and 4.", "command");

    public static readonly MetricFamily LastSuccessTimestamp = new("offline_backup_last_success_timestamp_seconds", "When the last backup succeeded: snapshot taken and MySQL back (Unix time).");

    public static readonly MetricFamily NewestSnapshotTimestamp = new("offline_backup_newest_snapshot_timestamp_seconds", "Start time of the newest completed snapshot of the volume, whoever made it; 0 when there is none (Unix time).");

    public static readonly MetricFamily MinSnapshotAge = new("offline_backup_min_snapshot_age_seconds", "The configured minimum age of the newest snapshot before another is taken (guards.min_snapshot_age_hours).");

    public static readonly MetricFamily MySqlUnavailable = new("offline_backup_mysql_unavailable_seconds", "How long MySQL was unavailable during the last backup, from the stop command to the server answering.");

    public static readonly MetricFamily SnapshotDuration = new("offline_backup_snapshot_seconds", "How long the snapshot of the last backup took (created, and completed when restart_after is completed).");

    public static readonly MetricFamily RetentionDeleted = new("offline_backup_retention_deleted", "Snapshots the last retention pass deleted (or found already gone).");

    public static readonly MetricFamily RetentionFailingSince = new("offline_backup_retention_failing_since_timestamp_seconds", "When retention started failing without a success since (Unix time); 0 when the last pass succeeded.");

    public static readonly MetricFamily Snapshots = new("offline_backup_snapshots", "Snapshots of the volume by owner (ours, legacy, foreign) and state, as last listed.", "whose", "state");

    public static readonly MetricFamily GuardOk = new("offline_backup_guard_ok", "1 when the guard passed the last time it was evaluated, 0 when it refused.", "guard");

    public static readonly MetricFamily ReplicaLag = new("offline_backup_replica_lag_seconds", "Replication lag when last measured (the largest over the channels).");

    public static readonly MetricFamily LastDrillTimestamp = new("offline_backup_last_drill_timestamp_seconds", "When the last restore drill ended, by drill or by run with drill.every_days (Unix time).");

    public static readonly MetricFamily LastDrillSuccess = new("offline_backup_last_drill_success", "1 when the last restore drill passed, 0 when it failed.");

    public static readonly MetricFamily DrillRestoreTime = new("offline_backup_last_drill_restore_seconds", "How long the last drill's throwaway server took to answer on the restored volume.");

    public static readonly IReadOnlyList<MetricFamily> All =
    [
        LastRunTimestamp, LastRunExitCode, ConsecutiveFailures, LastSuccessTimestamp, NewestSnapshotTimestamp,
        MinSnapshotAge, MySqlUnavailable, SnapshotDuration, RetentionDeleted, RetentionFailingSince,
        Snapshots, GuardOk, ReplicaLag, LastDrillTimestamp, LastDrillSuccess, DrillRestoreTime,
    ];

    /// <summary>The commands that rewrite the file; list only reads and leaves it alone.</summary>
    public static readonly IReadOnlySet<string> RecordingCommands = new HashSet<string>(StringComparer.Ordinal) { "run", "check", "prune", "drill" };

    public static MetricFamily? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
