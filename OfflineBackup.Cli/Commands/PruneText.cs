using OfflineBackup.Text;

namespace OfflineBackup.Commands;

/// <summary>
/// The person-readable output of <c>prune</c>: what was deleted, what went wrong, what was kept
/// and why in brief. A dry run prints the whole plan as a table instead of the deletions.
/// </summary>
public static class PruneText
{
    // Brief words for the kept-by-reason line, keyed by the report's reason codes, in the order
    // printed: our own snapshots first, then what retention never touches.
    private static readonly (string Code, string Label)[] KeptLabels =
    [
        ("newest_kept", "newest (min_keep)"),
        ("unexpired", "younger than retention"),
        ("over_max_deletes", "expired but left for the next run (max_deletes)"),
        ("future_start_time", "with a start time in the future"),
        ("pending", "pending"),
        ("error", "in error state"),
        ("unknown_state", "in a state unknown to offline-backup"),
        ("legacy_not_adopted", "legacy (adopt_legacy is off)"),
        ("not_ours", "foreign"),
        ("other_volume", "of another volume"),
    ];

    public static async Task WriteAsync(TextWriter output, PruneReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        if (report.DryRun)
        {
            await WriteDryRunAsync(output, report);
            return;
        }

        await output.WriteLineAsync($"prune {report.VolumeId}: {report.Snapshots.Count} snapshots, {report.PlannedDeletions.Count} to delete");
        if (report.Deleted.Count > 0)
        {
            await output.WriteLineAsync($"deleted {report.Deleted.Count}:");
            var idWidth = report.Deleted.Max(r => r.SnapshotId.Length);
            foreach (var row in report.Deleted)
            {
                await output.WriteLineAsync(
                    $"  {row.SnapshotId.PadRight(idWidth)}  {Durations.Utc(row.Started)}  {row.Ownership,-6}  {row.Reason}");
            }
        }

        await ListAsync(output, "already gone", report.AlreadyGone);
        foreach (var skipped in report.SkippedInUse)
        {
            await output.WriteLineAsync($"warning: {skipped.SnapshotId} not deleted: in use by {skipped.ImageId ?? "an AMI"}; deregister the image to let retention delete it");
        }

        foreach (var failed in report.Failed)
        {
            await output.WriteLineAsync($"FAILED: {failed.SnapshotId} not deleted: {failed.Detail}");
        }

        await ListAsync(output, "not attempted (permission denied)", report.NotAttempted);
        await WriteKeptAsync(output, report);
        await output.WriteLineAsync($"result: {report.Summary} (exit {report.ExitCode})");
    }

    private static async Task WriteDryRunAsync(TextWriter output, PruneReport report)
    {
        await output.WriteLineAsync($"dry run for {report.VolumeId}: nothing is deleted; {report.Snapshots.Count} snapshots, newest first");
        if (report.Snapshots.Count > 0)
        {
            await output.WriteLineAsync();
            await SnapshotTable.WriteAsync(output, report.Snapshots);
            await output.WriteLineAsync();
        }

        await output.WriteLineAsync(report.PlannedDeletions.Count == 0
            ? "a real prune would delete nothing"
            : $"a real prune would delete {report.PlannedDeletions.Count}, oldest first: {string.Join(", ", report.PlannedDeletions)}");
        if (report.DeletePermission is { } permission)
        {
            var target = permission.SnapshotId is null ? string.Empty : $" (DryRun DeleteSnapshot of {permission.SnapshotId})";
            await output.WriteLineAsync($"DeleteSnapshot permission: {permission.Outcome.Replace('_', ' ')}{target}: {permission.Detail}");
        }

        await WriteKeptAsync(output, report);
        await output.WriteLineAsync($"result: {report.Summary} (exit {report.ExitCode})");
    }

    private static async Task WriteKeptAsync(TextWriter output, PruneReport report)
    {
        var total = report.Kept.Values.Sum();
        if (total == 0)
        {
            return;
        }

        var parts = KeptLabels
            .Where(l => report.Kept.GetValueOrDefault(l.Code) > 0)
            .Select(l => $"{report.Kept[l.Code]} {l.Label}")
            .Concat(report.Kept.Where(k => !KeptLabels.Any(l => l.Code == k.Key)).Select(k => $"{k.Value} {k.Key}"));
        await output.WriteLineAsync($"kept {total}: {string.Join("; ", parts)}");
    }

    private static async Task ListAsync(TextWriter output, string label, IReadOnlyList<string> ids)
    {
        if (ids.Count > 0)
        {
            await output.WriteLineAsync($"{label} {ids.Count}: {string.Join(", ", ids)}");
        }
    }
}
