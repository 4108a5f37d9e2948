using OfflineBackup.Aws;
using OfflineBackup.Retention;
using OfflineBackup.Text;

namespace OfflineBackup.Commands;

/// <summary>
/// The copy region's part of <c>list</c>: each copy of ours with its source snapshot and what
/// the copies' retention would do with it now. Text only: <c>list --json</c> stays exactly the
/// array of this region's snapshots that scripts already read.
/// </summary>
public static class CopyListing
{
    public static async Task WriteAsync(TextWriter output, string region, RetentionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(plan);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"copies in {region}: {plan.Decisions.Count}, newest first");
        var rows = plan.Decisions.Reverse()
            .Select(d => new[]
            {
                d.SnapshotId,
                $"{d.Snapshot.Tag(ToolTags.SourceSnapshot) ?? "?"} ({d.Snapshot.Tag(ToolTags.SourceRegion) ?? "?"})",
                SnapshotRow.From(d, plan.Now).State,
                Durations.Utc(d.Snapshot.StartTime),
                d.Action.ToString().ToLowerInvariant(),
                d.Reason,
            })
            .Prepend(["COPY", "SOURCE", "STATE", "STARTED (UTC)", "VERDICT", "REASON"])
            .ToList();
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }

        await output.WriteLineAsync($"copy retention now: {plan.Summary()}");
    }
}
