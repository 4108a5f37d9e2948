using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Retention;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// Proves with EC2 DryRun calls that the credentials may create the snapshot (with the very tags
/// a run sets) and delete one of ours (in online mode also re-tag one, as a late snapshot needs),
/// so that a missing IAM permission is found before MySQL is stopped or commits are blocked, not after.
/// </summary>
public sealed class AwsPermissionGuard(string host) : IGuard
{
    public string Name => "aws-permissions";

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var instance = context.Settings.Instance;
        var request = SnapshotRequests.For(instance, "dry-run", host, context.Clock.GetUtcNow());
        var probes = new List<PermissionProbe> { await context.Snapshots.ProbeCreateSnapshotAsync(request, cancellationToken) };

        // Retention's own notion of "ours" (legacy snapshots too, when adopted): the probe asks
        // for exactly the deletion retention will make, the oldest first.
        var policy = context.Policy;
        var snapshots = await context.VolumeSnapshotsAsync(cancellationToken);
        var oldestOfOurs = snapshots
            .Where(s => s.State == SnapshotState.Completed && OwnershipClassifier.Classify(s, policy).Ownership != Ownership.Foreign)
            .MinBy(s => s.StartTime);
        if (oldestOfOurs is not null)
        {
            probes.Add(await context.Snapshots.ProbeDeleteSnapshotAsync(oldestOfOurs.Id, cancellationToken));

            // Retention reads the Snapshot Locks before it plans, and fails without them.
            probes.Add(await context.Snapshots.ProbeDescribeLockedSnapshotsAsync(cancellationToken));

            // An online snapshot that lands after the block was released must be re-tagged.
            if (context.Settings.Consistency.IsOnline)
            {
                probes.AddRange(await LateSnapshots.ProbeAsync(context.Snapshots, oldestOfOurs.Id, cancellationToken));
            }
        }

        var denied = probes.Where(p => p.Outcome == ProbeOutcome.Denied).ToList();
        if (denied.Count > 0)
        {
            return GuardResult.Refuse(
                Name,
                ExitCodes.PermissionDenied,
                string.Join("; ", denied.Select(p => $"{p.Action} denied: {p.Detail}")));
        }

        var deleteNote = oldestOfOurs is null
            ? $" ({(context.Settings.Consistency.IsOnline ? "DeleteSnapshot, DescribeLockedSnapshots, CreateTags and DeleteTags" : "DeleteSnapshot and DescribeLockedSnapshots")} not probed: no snapshot of ours yet)"
            : string.Empty;
        return GuardResult.Pass(Name, string.Join(", ", probes.Select(p => p.Action)) + " allowed" + deleteNote);
    }
}
