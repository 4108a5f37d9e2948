using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Copies;
using OfflineBackup.Retention;

namespace OfflineBackup.Commands;

/// <summary>
/// The copy region's part of <c>list</c>: each copy of ours with its source snapshot and what
/// the copies' retention would do with it now. Text only: <c>list --json</c> stays exactly the
/// array of this region's snapshots that scripts already read.
/// </summary>
public static class CopyListing
{
    /// <summary>The copies' plan, or null without a copy: section. EC2 failures throw (exit 11 or 8), before anything is printed.</summary>
    public static async Task<RetentionPlan?> PlanAsync(CommandSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Settings.Copy is not { } copy)
        {
            return null;
        }

        var store = session.Services.Adapters.CreateSnapshotStore(new AwsSettings(copy.Region, copy.EndpointUrl)) as ISnapshotCopier
            ?? throw new InvalidOperationException("the snapshot store for the copy region cannot list copies");
        var copies = await store.WithLocksAsync(await store.ListCopiesAsync(session.Settings.Instance.VolumeId, cancellationToken), cancellationToken);
        return RetentionPlanner.Plan(copies, CopyPolicy.For(session.Settings), now);
    }

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
                $"{d.Snapshot.Tag(OwnershipTags.SourceSnapshot) ?? "?"} ({d.Snapshot.Tag(OwnershipTags.SourceRegion) ?? "?"})",
                SnapshotRow.From(d, plan.Now).State,
                Pipeline.Durations.Utc(d.Snapshot.StartTime),
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
