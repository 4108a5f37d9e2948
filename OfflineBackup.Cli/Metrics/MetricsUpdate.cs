using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Retention;

namespace OfflineBackup.Metrics;

/// <summary>
/// Folds one invocation into the previous file's values. Pure: the same previous values, facts,
/// exit code and time always give the same file. What the invocation did not learn keeps its
/// previous value, so the hourly not-due run leaves the last backup's figures in place.
/// </summary>
public static class MetricsUpdate
{
    /// <summary>Exit codes that are not a failure: success, and the healthy hourly "not due".</summary>
    public static readonly IReadOnlySet<int> Healthy = new HashSet<int> { 0, 4 };

    private static readonly string[] States = ["pending", "completed", "error", "other"];

    public static void Apply(MetricSet set, Settings settings, string command, InvocationFacts facts, int exitCode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(facts);
        var seconds = ApplyOutcome(set, command, facts.DryRun, exitCode, now);
        set.Set(MetricCatalog.MinSnapshotAge, settings.Guards.MinSnapshotAge.TotalSeconds);

        foreach (var (guard, passed) in facts.Guards)
        {
            set.Set(MetricCatalog.GuardOk, passed ? 1 : 0, guard);
        }

        if (facts.ReplicaEvaluated)
        {
            // An unreachable or broken replica has no lag: the guard's 0 says so, a stale figure would not.
            if (facts.ReplicaLag is { } lag)
            {
                set.Set(MetricCatalog.ReplicaLag, lag.TotalSeconds);
            }
            else
            {
                set.Remove(MetricCatalog.ReplicaLag);
            }
        }

        if (facts.Snapshots is { } snapshots)
        {
            ApplyInventory(set, settings, snapshots);
        }

        if (facts.Backup is { } backup)
        {
            ApplyBackup(set, backup, seconds);
        }

        if (facts.Retention is { } retention)
        {
            set.Set(MetricCatalog.RetentionDeleted, retention.Deleted);
            var since = set.Get(MetricCatalog.RetentionFailingSince) ?? 0;
            set.Set(MetricCatalog.RetentionFailingSince, retention.Succeeded ? 0 : since > 0 ? since : seconds);
        }

        if (facts.Drill is { } drill)
        {
            set.Set(MetricCatalog.LastDrillTimestamp, seconds);
            set.Set(MetricCatalog.LastDrillSuccess, drill.Passed ? 1 : 0);
            if (drill.RestoreTime is { } restore)
            {
                set.Set(MetricCatalog.DrillRestoreTime, restore.TotalSeconds);
            }
            else
            {
                // A failed drill's server never answered: no restore time, rather than the last one's.
                set.Remove(MetricCatalog.DrillRestoreTime);
            }
        }
    }

    /// <summary>
    /// What every invocation records, even one whose configuration did not load: when it ended,
    /// its exit code and the failures in a row. Returns the end time in Unix seconds.
    /// </summary>
    public static double ApplyOutcome(MetricSet set, string command, bool dryRun, int exitCode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set);
        var seconds = now.ToUnixTimeMilliseconds() / 1000.0;
        var label = dryRun ? $"{command} --dry-run" : command;
        set.Set(MetricCatalog.LastRunTimestamp, seconds, label);
        set.Set(MetricCatalog.LastRunExitCode, exitCode, label);
        var failures = Healthy.Contains(exitCode) ? 0 : (set.Get(MetricCatalog.ConsecutiveFailures, label) ?? 0) + 1;
        set.Set(MetricCatalog.ConsecutiveFailures, failures, label);
        return seconds;
    }

    private static void ApplyInventory(MetricSet set, Settings settings, IReadOnlyList<Snapshot> snapshots)
    {
        var newest = snapshots.Where(s => s.State == SnapshotState.Completed).MaxBy(s => s.StartTime);
        set.Set(MetricCatalog.NewestSnapshotTimestamp, newest is null ? 0 : newest.StartTime.ToUnixTimeMilliseconds() / 1000.0);

        // Every owner and state is written, zeros included, so a count that drops to none reads 0, not absent.
        var policy = RetentionPolicy.From(settings);
        var counts = snapshots
            .GroupBy(s => (Whose: OwnershipClassifier.Classify(s, policy).Ownership, State: StateLabel(s.State)))
            .ToDictionary(g => g.Key, g => g.Count());
        set.RemoveFamily(MetricCatalog.Snapshots);
        foreach (var whose in Enum.GetValues<Ownership>())
        {
            foreach (var state in States)
            {
                set.Set(MetricCatalog.Snapshots, counts.GetValueOrDefault((whose, state)), whose.ToString().ToLowerInvariant(), state);
            }
        }
    }

    private static void ApplyBackup(MetricSet set, BackupFigures backup, double seconds)
    {
        if (backup.Succeeded)
        {
            set.Set(MetricCatalog.LastSuccessTimestamp, seconds);
        }

        if (backup.MySqlUnavailable is { } down)
        {
            set.Set(MetricCatalog.MySqlUnavailable, down.TotalSeconds);
        }

        if (backup.SnapshotTook is { } took)
        {
            set.Set(MetricCatalog.SnapshotDuration, took.TotalSeconds);
        }
    }

    private static string StateLabel(SnapshotState state) => state switch
    {
        SnapshotState.Pending => "pending",
        SnapshotState.Completed => "completed",
        SnapshotState.Error => "error",
        _ => "other",
    };
}
