using System.Globalization;
using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Text;

namespace OfflineBackup.Drill;

/// <summary>
/// When the hourly run also drills: <c>drill.every_days</c> set, and that many days passed since
/// the last passed drill, as the snapshots' <see cref="ToolTags.LastPassedDrill"/> tags say
/// (the tags live in EC2, so a replaced host keeps its history). Pure.
/// </summary>
public static class DrillSchedule
{
    public static DateTimeOffset? LastPassed(IEnumerable<Snapshot> snapshots) => snapshots
        .Select(s => s.Tag(ToolTags.LastPassedDrill))
        .Select(t => DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
        .Max();

    public static bool IsDue(int? everyDays, DateTimeOffset? lastPassed, DateTimeOffset now) =>
        everyDays is { } days && (lastPassed is not { } last || now - last >= TimeSpan.FromDays(days));

    /// <summary>The drill a run would perform after the backup, for <c>run --dry-run</c>; null when none is due.</summary>
    public static PlannedStep? Describe(DrillSettings drill, IEnumerable<Snapshot> snapshots, DateTimeOffset now)
    {
        var last = LastPassed(snapshots);
        if (!IsDue(drill.EveryDays, last, now))
        {
            return null;
        }

        var counts = drill.CountTables.Count == 0 ? "" : $", rows of {string.Join(", ", drill.CountTables)}";
        return new PlannedStep(
            string.Create(CultureInfo.InvariantCulture,
                $"restore drill of the new snapshot (drill.every_days {drill.EveryDays}; last passed drill: {(last is { } at ? Durations.Utc(at) : "never")})"),
            [
                $"a volume from it in this instance's zone, attached and mounted on {Path.Combine(drill.ScratchDirectory, "mnt")}",
                $"a throwaway {drill.MysqldBinary} on it (buffer pool {drill.BufferPoolSize}, no network, replication off): time until it answers, "
                    + $"CHECK TABLE ... QUICK on every table{counts}, the replication position",
                "then stop it, unmount, detach and delete the volume, and tag the snapshot with the result",
            ]);
    }
}

/// <summary>The drill the hourly run performed: its report, or why it could not start.</summary>
public sealed record ScheduledDrill(DrillReport? Report, IReadOnlyList<Pipeline.Notice> Notices, int ExitCode, string Summary);
